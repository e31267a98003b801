""" "Needs a human": the mentions the analysis could not decide, listed for community
managers; a verdict is a correction that the next training learns from."""

import pytest
from django.urls import reverse

from engagement.models import Case
from listening.models import Mention, SentimentCorrection
from listening.nlp import training
from listening.nlp.services import mentions_analyze
from tests.engagement.dashboard_helpers import as_user, make_people, open_case

pytestmark = pytest.mark.django_db

PAGE = reverse("engagement:needs_human")
SARCASTIC = "戴尔售后真给力，修了三次还蓝屏"
CLEAR = "外星人到手，跑分给力，屏幕超赞 [哈哈]"
UNDECIDED = "体验店开业了"


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture
def people(support):
    return make_people(support)


@pytest.fixture
def cases(people, sent_tasks):
    made = {
        text: open_case(author=f"fan{i}", text=text)
        for i, text in enumerate((SARCASTIC, CLEAR, UNDECIDED))
    }
    mentions_analyze(
        mention_ids=Mention.objects.values_list("id", flat=True), force=True
    )
    return made


def _mention(text):
    return Mention.objects.get(text=text)


def verdict(mention):
    return reverse("engagement:needs_human_verdict", args=[mention.pk])


def test_analysis_sends_sarcasm_and_undecided_posts_to_a_human(cases):
    assert _mention(SARCASTIC).needs_human and _mention(SARCASTIC).sarcasm
    assert _mention(UNDECIDED).needs_human
    assert _mention(UNDECIDED).sentiment_label == "neutral"
    assert not _mention(CLEAR).needs_human


def test_the_page_lists_them_for_managers_with_their_reason(client, people, cases):
    as_user(client, people.manager)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="mention-{_mention(SARCASTIC).pk}"' in html
    assert f'id="mention-{_mention(UNDECIDED).pk}"' in html
    assert f'id="mention-{_mention(CLEAR).pk}"' not in html
    assert "Sarcastic or mixed" in html or "讽刺" in html


def test_ambassadors_cannot_open_it_or_give_verdicts(client, people, cases):
    as_user(client, people.amb)
    assert client.get(PAGE).status_code == 403
    response = client.post(verdict(_mention(SARCASTIC)), {"label": "negative"})
    assert response.status_code == 403
    assert not SentimentCorrection.objects.exists()


def test_a_verdict_is_a_correction_the_training_learns_from(client, people, cases):
    as_user(client, people.manager)
    mention = _mention(UNDECIDED)
    response = client.post(verdict(mention), {"label": "positive"})
    assert response.status_code == 302
    mention.refresh_from_db()
    assert not mention.needs_human
    assert mention.sentiment_label == "positive" and mention.sentiment == 1.0
    assert Case.objects.get(pk=cases[UNDECIDED].pk).sentiment_label == "positive"
    assert f'id="mention-{mention.pk}"' not in client.get(PAGE).content.decode()
    rows = training.correction_examples()
    assert [(e.text, e.label, e.source) for e in rows] == [
        (UNDECIDED, 1, training.CORRECTION_SOURCE)
    ]
    # Re-analysis keeps the person's verdict and does not send it back.
    mentions_analyze(mention_ids=[mention.pk], force=True)
    mention.refresh_from_db()
    assert not mention.needs_human and mention.sentiment_label == "positive"


def test_a_bad_verdict_changes_nothing(client, people, cases):
    as_user(client, people.manager)
    mention = _mention(SARCASTIC)
    response = client.post(verdict(mention), {"label": "furious"}, follow=True)
    assert response.status_code == 200
    mention.refresh_from_db()
    assert mention.needs_human and not SentimentCorrection.objects.exists()
    missing = reverse("engagement:needs_human_verdict", args=[987654321])
    assert client.post(missing, {"label": "negative"}).status_code == 404
    assert client.get(verdict(mention)).status_code == 405


def test_hostile_text_is_escaped(client, people, sent_tasks):
    case = open_case(author="x", text="<script>alert(1)</script> 呵呵 蓝屏")
    Mention.objects.filter(pk=case.links.first().mention_id).update(needs_human=True)
    as_user(client, people.manager)
    html = client.get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
