import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from listening.models import Mention, Source

from .adapter_stub import PAYLOADS, payload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_mentions", *args, stdout=out, stderr=out)
    return out.getvalue()


def run_failing(*args: str) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_mentions", *args, stdout=out, stderr=out)
    return out.getvalue(), raised.value


def fixture_path(name: str) -> str:
    return str(PAYLOADS / f"{name}.json")


def write_lines(tmp_path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_importing_a_timeline_stores_its_mentions_and_reports_them_new():
    output = run("--platform", "weibo", fixture_path("weibo/mentions_timeline"))

    assert "3 new, 0 already known, 0 refused" in output
    mention = Mention.objects.select_related("author").get(
        platform="weibo", external_id="3935741021290713"
    )
    assert mention.repost_of_external_id == "3935640947463227"
    assert mention.author.screen_name == "头条新闻"


def test_importing_the_same_file_twice_reports_everything_known():
    path = fixture_path("weibo/mentions_timeline")
    run("--platform", "weibo", path)

    output = run("--platform", "weibo", path)

    assert "0 new, 3 already known" in output
    assert Mention.objects.filter(platform="weibo").count() == 3


def test_refused_items_are_counted_by_reason():
    output = run("--platform", "weibo", fixture_path("weibo/mentions_2011_odd_items"))

    assert "2 new, 0 already known, 4 refused" in output
    for reason in ("deleted: 1", "no id: 1", "no valid created_at: 1"):
        assert reason in output


@pytest.mark.parametrize(
    ("platform", "name", "new"),
    [
        ("twitter", "twitter/search_recent", 4),
        ("twitter", "twitter/v1_search_tweets", 2),
        ("renren", "renren/status_list", 2),
        ("renren", "renren/rest_status_gets", 2),
        ("weibo", "weibo/search_past_end", 0),
    ],
)
def test_every_platform_shape_imports(platform, name, new):
    output = run("--platform", platform, fixture_path(name))

    assert f"{new} new" in output
    assert Mention.objects.filter(platform=platform).count() == new


def test_json_lines_import_each_response_and_report_bad_lines(tmp_path):
    path = write_lines(
        tmp_path,
        "capture.jsonl",
        [
            json.dumps(payload("weibo/mentions_timeline"), ensure_ascii=False),
            '{"statuses": [',
            json.dumps(payload("weibo/error_10023")),
            json.dumps(payload("weibo/search_topics")),
        ],
    )

    output = run("--platform", "weibo", path)

    assert "4 body(ies), 5 new" in output
    assert "line 2: invalid JSON" in output
    assert "line 3: weibo error 10023: User requests out of rate limit!" in output


def test_a_file_holding_only_an_error_body_fails_with_that_error():
    output, error = run_failing(
        "--platform", "twitter", fixture_path("twitter/error_429")
    )

    assert "twitter error 429: Too Many Requests: Too Many Requests" in output
    assert error.returncode == 1


def test_missing_and_truncated_files_are_reported_and_the_rest_imported(tmp_path):
    truncated = tmp_path / "cut.json"
    truncated.write_text(
        (PAYLOADS / "weibo/mentions_timeline.json").read_text()[:500], encoding="utf-8"
    )
    missing = str(tmp_path / "nope.json")

    output, error = run_failing(
        "--platform",
        "weibo",
        missing,
        str(truncated),
        fixture_path("weibo/search_topics"),
    )

    assert f"{missing}: cannot read" in output
    assert f"{truncated}: invalid JSON" in output
    assert "2 of 3 file(s) failed" in str(error)
    assert error.returncode == 1
    assert Mention.objects.filter(platform="weibo").count() == 2


def test_mentions_are_credited_to_the_given_source():
    source = Source.objects.create(
        name="戴尔 mentions", platform="weibo", kind="mentions", query="1642909335"
    )

    run(
        "--platform",
        "weibo",
        "--source",
        str(source.id),
        fixture_path("weibo/comments_show"),
    )

    assert set(Mention.objects.values_list("source_id", flat=True)) == {source.id}
    source.refresh_from_db()
    assert source.mentions_fetched == 3


def test_an_unknown_source_is_refused():
    with pytest.raises(CommandError):
        run(
            "--platform",
            "weibo",
            "--source",
            "999999",
            fixture_path("weibo/timeline_end"),
        )
