import pytest

from listening.models import Author, Mention
from listening.services import clean_text, mentions_store
from tests.listening.factories import make_post

pytestmark = pytest.mark.django_db


def test_storing_the_same_posts_twice_creates_no_duplicates():
    posts = [make_post(i) for i in (3, 2, 1)]
    first = mentions_store(posts=posts)
    second = mentions_store(posts=posts)
    assert first.created == 3
    assert first.known == 0
    assert second.created == 0
    assert second.known == 3
    assert Mention.objects.count() == 3
    assert Author.objects.count() == 1


def test_duplicates_inside_one_batch_are_stored_once():
    result = mentions_store(posts=[make_post(7), make_post(7)])
    assert result.created == 1
    assert Mention.objects.filter(external_id="7").count() == 1


def test_only_new_mentions_are_handed_to_analysis(
    sent_tasks, django_capture_on_commit_callbacks
):
    mentions_store(posts=[make_post(1)])
    sent_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = mentions_store(posts=[make_post(1), make_post(2)])
    new_id = Mention.objects.get(external_id="2").id
    assert result.created_ids == [new_id]
    # (The webhook stage hears of new mentions too: that hand-off is its own.)
    analysis = [task for task in sent_tasks if task[0] == "nlp.analyze_mentions"]
    assert analysis == [("nlp.analyze_mentions", [[new_id]])]


def test_author_profile_is_refreshed_on_each_sighting():
    mentions_store(posts=[make_post(1, author_id="42")])
    post = make_post(2, author_id="42")
    bigger = post.author.__class__(
        platform="weibo", external_id="42", screen_name="renamed", followers_count=999
    )
    mentions_store(posts=[post.__class__(**{**_fields(post), "author": bigger})])
    author = Author.objects.get(external_id="42")
    assert author.screen_name == "renamed"
    assert author.followers_count == 999


def _fields(post):
    return {name: getattr(post, name) for name in post.__slots__}


def test_nul_bytes_and_broken_unicode_are_cleaned_before_insert():
    post = make_post(5, text="坏\x00字符\ud83d 结尾\x07")
    raw_post = post.__class__(
        **{**_fields(post), "raw": {"text": "a\x00b", "k\x00": 1}}
    )
    mentions_store(posts=[raw_post])
    mention = Mention.objects.get(external_id="5")
    assert "\x00" not in mention.text
    assert "\x07" not in mention.text
    assert mention.text.startswith("坏字符")
    assert mention.raw == {"text": "ab", "k": 1}


def test_negative_counters_are_clamped():
    post = make_post(6)
    post = post.__class__(**{**_fields(post), "metrics": {"reposts": -3, "likes": 4}})
    mentions_store(posts=[post])
    assert Mention.objects.get(external_id="6").metrics == {"reposts": 0, "likes": 4}


def test_overlong_text_is_cut_not_refused():
    assert len(clean_text("长" * 50_000)) == 10_000


def test_an_author_remembered_but_gone_is_written_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        mentions_store(posts=[make_post(1, author_id="77")])
    Mention.objects.all().delete()
    Author.objects.all().delete()  # e.g. a database restored from an older backup
    result = mentions_store(posts=[make_post(2, author_id="77")])
    mention = Mention.objects.select_related("author").get(id=result.created_ids[0])
    assert mention.author.external_id == "77"


def test_an_unchanged_author_is_not_written_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentions_store(posts=[make_post(1, author_id="88")])
    before = Author.objects.get(external_id="88").updated_at
    with django_capture_on_commit_callbacks(execute=True):
        mentions_store(posts=[make_post(2, author_id="88")])
    assert Author.objects.get(external_id="88").updated_at == before
    assert Mention.objects.get(external_id="2").author.external_id == "88"
