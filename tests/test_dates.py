"""Publication dates and DATE mentions: stated dates are read as written, relative ones against
the publication day, and anything unsure stays None rather than a guess."""

from __future__ import annotations

import time

import pytest

from backchannel.inputs.dates import iso_week, period, publication_date, resolve_date

FRIDAY = "2013-02-15"  # a Friday


# --- publication_date: metadata -------------------------------------------------------------

@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ("2013-02-12", "2013-02-12"),
        ("2013-02-12T23:30:00-05:00", "2013-02-12"),  # the date as the publisher wrote it
        ("2013-02-12T10:31:00Z", "2013-02-12"),
        ("Tue, 12 Feb 2013 10:31:00 +0000", "2013-02-12"),
        ("Feb 12, 2013", "2013-02-12"),
        ("February 12, 2013 10:31 AM EST", "2013-02-12"),
        ("12 February 2013", "2013-02-12"),
        ("20130212", "2013-02-12"),
        ("2013/02/12", "2013-02-12"),
        ("25/12/2013", "2013-12-25"),  # unambiguous day-first, via dateparser
    ],
)
def test_metadata_date_formats(meta: str, expected: str) -> None:
    assert publication_date(meta, None, None) == (expected, "metadata")


@pytest.mark.parametrize("meta", ["", "   ", "garbage", "yesterday", "Feb 12", "12/02/2013", "2013-02-30"])
def test_metadata_unusable_is_not_guessed(meta: str) -> None:
    assert publication_date(meta, None, None) == (None, None)


def test_metadata_wins_over_url_and_text() -> None:
    url = "https://www.reuters.com/article/2013/02/10/us-iran-nuclear-idUSBRE91900120130210"
    text = "TEHRAN, Feb 11, 2013 (Reuters) - Iran said"
    assert publication_date("2013-02-12", url, text) == ("2013-02-12", "metadata")
    assert publication_date("not a date", url, text) == ("2013-02-10", "url")
    assert publication_date(None, "https://example.com/world/iran-talks", text) == ("2013-02-11", "text")


# --- publication_date: URL ------------------------------------------------------------------

@pytest.mark.parametrize(
    "url",
    [
        "https://www.reuters.com/article/2013/02/10/us-iran-nuclear-idUSBRE91900120130210",
        "https://www.aljazeera.com/news/2013-02-10/iran-holds-talks",
        "https://www.example.org/news/20130210/iran-talks.html",
        "http://www.tehrantimes.com/news/2013/2/10/iran",
        "www.example.com/2013/02/10/no-scheme",
    ],
)
def test_url_dates(url: str) -> None:
    assert publication_date(None, url, None) == ("2013-02-10", "url")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2013/02/30/impossible-day",
        "https://example.com/2013/13/01/impossible-month",
        "https://example.com/1985/02/10/before-1990",
        "https://example.com/2150/02/10/after-2100",
        "https://example.com/story/123456789",  # an id, not a date
        "https://example.com/2013/02/iran-talks",  # no day: not guessed
        "https://20130210.example.com/iran",  # the host is not the path
        "http://[::1",  # malformed
    ],
)
def test_url_impossible_or_missing_dates_rejected(url: str) -> None:
    assert publication_date(None, url, None) == (None, None)


# --- publication_date: text -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "TEHRAN, Feb 12, 2013 (Reuters) - Iran's foreign minister said on Tuesday",
        "By Parisa Hafezi\nTEHRAN, Feb. 12, 2013 (Reuters) — Iran said",
        "WASHINGTON, D.C., February 12, 2013 — The State Department said",
        "Published: Tuesday, 12 February 2013, 10:31 GMT\nIran said",
        "Posted on Feb 12, 2013 by newsdesk\nIran said",
        "Iran nuclear talks\nFebruary 12, 2013\nTEHRAN - Iran said",
        "Tuesday, 12 February 2013\nIran said",
        "2013-02-12 10:31 GMT\nIran said",
    ],
)
def test_text_dates(text: str) -> None:
    assert publication_date(None, None, text) == ("2013-02-12", "text")


@pytest.mark.parametrize(
    "text",
    [
        "TEHRAN, Feb 12 (Reuters) - Iran said on February 10, 2013 that talks would resume.",
        "WASHINGTON, Feb. 12 — The State Department said",
        "The talks on February 12, 2013 ended without agreement.",  # an event date, not a dateline
        "x" * 420 + "\nFebruary 12, 2013",  # beyond the first 400 characters
        "Iran said on Tuesday that talks would resume.",
    ],
)
def test_text_without_a_stated_year_or_dateline_is_unknown(text: str) -> None:
    assert publication_date(None, None, text) == (None, None)


def test_text_date_cut_at_400_characters_is_not_truncated() -> None:
    text = "y" * 390 + "\n2013-02-12 Iran said"  # the last digit of the day is character 401
    assert publication_date(None, None, text) == ("2013-02-12", "text")


def test_nothing_known_stays_unknown() -> None:
    assert publication_date(None, None, None) == (None, None)


# --- resolve_date ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # weekdays: the most recent on or before publication; the same weekday is that day
        ("on Wednesday", ("2013-02-13", "day")),
        ("Wednesday", ("2013-02-13", "day")),
        ("Wednesday's", ("2013-02-13", "day")),
        ("Wednesday night", ("2013-02-13", "day")),
        ("Friday", ("2013-02-15", "day")),
        ("Saturday", ("2013-02-09", "day")),
        ("last Friday", ("2013-02-08", "day")),
        ("next Wednesday", ("2013-02-20", "day")),
        ("next Friday", ("2013-02-22", "day")),
        # day words
        ("today", ("2013-02-15", "day")),
        ("this morning", ("2013-02-15", "day")),
        ("yesterday", ("2013-02-14", "day")),
        ("late yesterday", ("2013-02-14", "day")),
        ("tomorrow", ("2013-02-16", "day")),
        # weeks, months, years: the start of the period
        ("last week", ("2013-02-04", "week")),
        ("earlier this week", ("2013-02-11", "week")),
        ("next week", ("2013-02-18", "week")),
        ("this month", ("2013-02-01", "month")),
        ("last month", ("2013-01-01", "month")),
        ("last year", ("2012-01-01", "year")),
        ("later this year", ("2013-01-01", "year")),
        ("next year", ("2014-01-01", "year")),
        # N units ago
        ("four years ago", ("2009-01-01", "year")),
        ("4 years ago", ("2009-01-01", "year")),
        ("a year ago", ("2012-01-01", "year")),
        ("two months ago", ("2012-12-01", "month")),
        ("three weeks ago", ("2013-01-21", "week")),
        ("twelve days ago", ("2013-02-03", "day")),
        ("10 days ago", ("2013-02-05", "day")),
        # month-day without a year
        ("Feb. 12", ("2013-02-12", "day")),
        ("February 12", ("2013-02-12", "day")),
        ("12 February", ("2013-02-12", "day")),
        ("Wednesday, Feb. 13", ("2013-02-13", "day")),
        ("Feb. 20", ("2013-02-20", "day")),  # days ahead: an announced date this year
        ("Dec. 20", ("2012-12-20", "day")),  # over ten months ahead: last December
        ("February", ("2013-02-01", "month")),
        # explicit dates, as written
        ("February 12, 2013", ("2013-02-12", "day")),
        ("12 February 2013", ("2013-02-12", "day")),
        ("2013-02-12", ("2013-02-12", "day")),
        ("Feb. 12, 2011", ("2011-02-12", "day")),
        ("February 2011", ("2011-02-01", "month")),
        ("February the 12th, 2013", ("2013-02-12", "day")),  # dateparser's spelling
        ("2009", ("2009-01-01", "year")),
        ("in 2009", ("2009-01-01", "year")),
        ("early 2009", ("2009-01-01", "year")),
        ("the 1973 war", ("1973-01-01", "year")),
    ],
)
def test_resolve_against_friday_publication(expression: str, expected: tuple[str, str]) -> None:
    assert resolve_date(expression, FRIDAY) == expected


@pytest.mark.parametrize(
    "expression",
    ["two months", "24 hours", "the past decade", "weeks", "recent years", "the past two years",
     "the next few days", "a few years ago", "the 1990s", "between 2009 and 2012", "1000 days",
     "decades", "last night", "February 30, 2013", "the twelfth of February", "", "  "],
)
def test_durations_and_vague_expressions_are_unknown(expression: str) -> None:
    assert resolve_date(expression, FRIDAY) == (None, "unknown")


@pytest.mark.parametrize("expression", ["Wednesday", "last week", "last year", "four years ago",
                                        "yesterday", "Feb. 12", "February", "next week"])
def test_without_publication_date_relative_stays_unresolved(expression: str) -> None:
    assert resolve_date(expression, None) == (None, "unknown")
    assert resolve_date(expression, "not-a-date") == (None, "unknown")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("February 12, 2013", ("2013-02-12", "day")), ("in 2009", ("2009-01-01", "year")),
     ("the 1973 war", ("1973-01-01", "year")), ("February 2011", ("2011-02-01", "month"))],
)
def test_without_publication_date_absolute_resolves(expression: str, expected: tuple[str, str]) -> None:
    assert resolve_date(expression, None) == expected


def test_month_day_early_in_year_reaches_back_to_december() -> None:
    assert resolve_date("Dec. 28", "2013-01-03") == ("2012-12-28", "day")
    assert resolve_date("on Monday", "2013-01-03") == ("2012-12-31", "day")
    assert resolve_date("last week", "2013-01-03") == ("2012-12-24", "week")
    assert resolve_date("last month", "2013-01-03") == ("2012-12-01", "month")


def test_leap_day_without_year() -> None:
    assert resolve_date("Feb. 29", "2013-03-05") == ("2012-02-29", "day")


def test_rule_cases_are_fast() -> None:
    from backchannel.inputs.dates import _resolve

    cases = ["on Wednesday", "last week", "four years ago", "Feb. 12", "two months", "in 2009", "yesterday"]
    rounds = 200
    start = time.perf_counter()
    for i in range(rounds):
        for expression in cases:
            _resolve.__wrapped__(expression, FRIDAY)  # uncached
    per_call = (time.perf_counter() - start) / (rounds * len(cases))
    assert per_call < 200e-6  # aim is < 50 µs; loose bound so slow CI machines pass


# --- iso_week / period ----------------------------------------------------------------------

def test_iso_week() -> None:
    assert iso_week("2013-02-10") == "2013-W06"  # a Sunday ends ISO week 6
    assert iso_week("2013-02-11") == "2013-W07"
    assert iso_week("2010-01-03") == "2009-W53"  # early January in last year's week
    assert iso_week("not a date") is None


@pytest.mark.parametrize(("by", "expected"), [("day", "2013-02-10"), ("week", "2013-W06"),
                                              ("month", "2013-02"), ("year", "2013")])
def test_period(by: str, expected: str) -> None:
    assert period("2013-02-10", by) == expected


def test_period_unparseable_and_unknown_bucket() -> None:
    assert period("garbage", "day") is None
    with pytest.raises(ValueError):
        period("2013-02-10", "fortnight")
