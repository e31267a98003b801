import datetime as dt

import pytest

from listening.adapters._common import (
    as_id,
    clamp_count,
    parse_time,
    reply_text_key,
    top_of_next_hour,
)

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Wed Jan 27 04:05:45 +0800 2016",
            dt.datetime(2016, 1, 27, 4, 5, 45, 0, BEIJING),
        ),
        (
            "Fri Jul 12 23:40:37 +0000 2019",
            dt.datetime(2019, 7, 12, 23, 40, 37, 0, dt.UTC),
        ),
        ("2021-09-22T16:37:54.000Z", dt.datetime(2021, 9, 22, 16, 37, 54, 0, dt.UTC)),
        ("2013-9-13 9:51:27", dt.datetime(2013, 9, 13, 9, 51, 27, 0, BEIJING)),
        ("2014-06-23 17:43", dt.datetime(2014, 6, 23, 17, 43, 0, 0, BEIJING)),
        ("2011-03-02", dt.datetime(2011, 3, 2, 0, 0, 0, 0, BEIJING)),
        (1700000000, dt.datetime.fromtimestamp(1700000000, dt.UTC)),
        (1700000000123, dt.datetime.fromtimestamp(1700000000.123, dt.UTC)),
    ],
)
def test_every_platform_time_format_parses_to_an_aware_datetime(value, expected):
    parsed = parse_time(value)

    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "yesterday",
        "2013-13-45 9:00",
        "Wed Foo 27 04:05:45 +0800 2016",
        [],
        True,
    ],
)
def test_unparseable_times_are_none(value):
    assert parse_time(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        ("7", 7),
        (-3, 0),
        ("-12", 0),
        (None, 0),
        ("many", 0),
        (2.9, 2),
        (True, 0),
    ],
)
def test_counters_never_go_negative_or_raise(value, expected):
    assert clamp_count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3935747314735304, "3935747314735304"),
        ("3935747314735304", "3935747314735304"),
        ("", ""),
        (0, ""),
        ("0", ""),
        (None, ""),
        (False, ""),
        (4.0, "4"),
        ({"id": 1}, ""),
    ],
)
def test_ids_become_strings_and_empty_means_none(value, expected):
    assert as_id(value) == expected


def test_top_of_next_hour():
    now = dt.datetime(2016, 1, 27, 4, 5, 45, tzinfo=dt.UTC)

    assert top_of_next_hour(now) == dt.datetime(2016, 1, 27, 5, tzinfo=dt.UTC)


def test_reply_text_key_ignores_rewritten_links_entities_and_spacing():
    assert reply_text_key(" Hi &amp; bye  http://t.cn/abc ") == reply_text_key(
        "Hi & bye https://dell.com/x?y=1"
    )
    assert reply_text_key("Hi") != reply_text_key("Hi!")
