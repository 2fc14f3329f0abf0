"""Dates: the day an article was published, and the day a DATE mention in it points to.

Pure functions, no network; unparseable input gives None, never an exception. Rules cover the
common newswire forms and are fast; dateparser is only a cached fallback for odd spellings of
absolute dates, because it reads durations ("two months") as points in the past.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_tz
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from dateparser.date import DateDataParser

Granularity = Literal["day", "week", "month", "year", "unknown"]
Source = Literal["metadata", "url", "text"]

_MON = (r"\b(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_YEAR = r"(?P<year>\d{4})(?!\d)"
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})[-/](?P<mon>\d{1,2})[-/](?P<day>\d{1,2})(?!\d)")
_MD = re.compile(rf"{_MON}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{_YEAR})?", re.I)
_DM = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?", re.I)
_MY = re.compile(rf"{_MON},?\s+{_YEAR}", re.I)
_MON_ONLY = re.compile(rf"{_MON}$", re.I)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD_PREFIX = re.compile(r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+", re.I)

_URL_SEP = re.compile(r"(?<!\d)(\d{4})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)")
_URL_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_LABEL = re.compile(r"(?:first\s+)?(?:published|posted|dated?)\b(?:\s+on\b)?\s*:?\s*(?P<rest>.+)", re.I)
_DATELINE = re.compile(r"[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30})?,\s+(?P<rest>.{3,40}?)"
                       r"\s*(?:\([^)]{2,40}\)\s*)?[-–—]")
_AMBIGUOUS_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?!\d)")

_NUMBERS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split(), 1)} | {"a": 1, "an": 1}
_NUM = r"(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + ")"
_LEAD = re.compile(r"^(?:(?:on|in|by|since|from|until|till|through|during|before|after|as of|the|early"
                   r"|late|earlier|later|mid)\s+|mid-)+")
_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "yesterday": -1, "tomorrow": 1}
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night)$")
_WEEKDAY_REL = re.compile(r"(?:(?P<rel>last|next|past|previous|coming)\s+)?(?P<wd>" + "|".join(_WEEKDAYS) + ")")
_PERIOD_REL = re.compile(r"(?P<rel>last|previous|this|current|next|coming)\s+(?P<unit>week|month|year)")
_AGO = re.compile(rf"{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago")
_YEAR_IN = re.compile(r"(?<![\d'’])(1[5-9]\d\d|20\d\d|2100)(?![\d]|s\b|\s*(?:days?|weeks?|months?|years?"
                      r"|hours?|minutes?|decades?)\b)")
_RELATIVE_WORDS = re.compile(r"\b(?:ago|past|last|next|coming|recent|previous|hours?|days?|weeks?|months?"
                             r"|years?|decades?|centur\w*|since|later|earlier|within)\b")
_FUTURE_TOLERANCE = timedelta(days=60)  # a yearless date up to two months ahead keeps the story's year; later ones are last year's


def _month(name: str) -> int:
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(name[:3].lower()) + 1


def _mk(year: int, month: int, day: int, lo: int = 1000, hi: int = 2100) -> date | None:
    """A real date within [lo, hi], else None: 2013-02-30 and year 0213 are not dates."""
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d if lo <= d.year <= hi else None


def _parts(m: re.Match[str]) -> tuple[int | None, int, int]:
    mon, year = m["mon"], m["year"]
    return (int(year) if year else None, int(mon) if mon.isdigit() else _month(mon), int(m["day"]))


def _first_date(s: str) -> tuple[int | None, int, int] | None:
    """The earliest year-month-day (year may be missing) written anywhere in ``s``."""
    found = [m for m in (rx.search(s) for rx in (_ISO, _MD, _DM)) if m]
    return _parts(min(found, key=lambda m: m.start())) if found else None


def _date_at_start(s: str) -> tuple[int | None, int, int] | None:
    """A date that opens ``s`` (after an optional weekday), as on a byline or dateline."""
    s = _WD_PREFIX.sub("", s, count=1)
    m = _ISO.match(s) or _MD.match(s) or _DM.match(s)
    return _parts(m) if m else None


def _full(p: tuple[int | None, int, int] | None) -> date | None:
    return _mk(p[0], p[1], p[2]) if p and p[0] is not None else None


def _from_meta(s: str) -> date | None:
    """ISO (with any time and zone: the date as written), RFC 2822, or written-out dates."""
    s = s.strip()
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s):
        return _mk(int(m[1]), int(m[2]), int(m[3]))
    if d := _full(_first_date(s)):
        return d
    try:
        t = parsedate_tz(s)
    except (TypeError, ValueError, IndexError):
        t = None
    if t and t[0] > 999:
        return _mk(t[0], t[1], t[2])
    amb = _AMBIGUOUS_NUMERIC.search(s)
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", s) or (amb and int(amb[1]) <= 12 and int(amb[2]) <= 12):
        return None  # no year, or 02/03/2013: either would be a guess
    d, g = _parsed(s, None, True)
    return d if g == "day" else None


def _from_url(url: str) -> date | None:
    """/2013/02/10/, /2013-02-10/ or 20130210 in the path; htmldate's version stops at 2039
    and misses the compact form, so a regex with the 1990–2100 range instead."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for rx in (_URL_SEP, _URL_COMPACT):
        for m in rx.finditer(path):
            if d := _mk(int(m[1]), int(m[2]), int(m[3]), 1990, 2100):
                return d
    return None


def _from_text(text: str) -> date | None:
    """A "Published:" line, a dateline with its year, or a line that opens with a full date."""
    head = text[:400] + re.split(r"\s", text[400:420], maxsplit=1)[0]  # finish a token cut at 400
    for line in head.splitlines():
        line = line.strip()
        if m := _LABEL.match(line):
            p = _first_date(m["rest"])
        elif m := _DATELINE.match(line):
            p = _date_at_start(m["rest"])  # "TEHRAN, Feb 12 (Reuters) -" has no year: skipped
        else:
            p = _date_at_start(line)
        if d := _full(p):
            return d
    return None


def publication_date(meta_date: str | None, url: str | None, text: str | None) -> tuple[str | None, Source | None]:
    """(YYYY-MM-DD, "metadata"|"url"|"text") from the first source that states it; never a guess."""
    if meta_date and (d := _from_meta(meta_date)):
        return d.isoformat(), "metadata"
    if url and (d := _from_url(url)):
        return d.isoformat(), "url"
    if text and (d := _from_text(text)):
        return d.isoformat(), "text"
    return None, None


def _iso(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _add_months(d: date, k: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + k, 12)
    return date(y, m + 1, 1)


def _nearest_past(year: int, month: int, day: int, pub: date) -> date | None:
    """The story's year, or the previous one when that would put the date ~10 months ahead."""
    d = _mk(year, month, day) or (_mk(year - 1, month, day) if (month, day) == (2, 29) else None)
    if d and d - pub > _FUTURE_TOLERANCE:
        d = _mk(year - 1, month, day)
    return d


@lru_cache(maxsize=4096)
def _parsed(s: str, published: str | None, need_year: bool) -> tuple[date | None, Granularity]:
    """dateparser, for absolute dates the rules do not spell; cached as it takes milliseconds."""

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(published[:10])
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(s)
    if data is None or data.date_obj is None or (need_year and "year" not in (data.parts or ())):
        return None, "unknown"
    d, period = data.date_obj.date(), data.period
    if period == "day" and "day" in (data.parts or ()):
        return d, "day"
    if period == "month" or (period == "day" and "month" in (data.parts or ())):
        return d.replace(day=1), "month"
    if period == "year":
        return d.replace(month=1, day=1), "year"
    return None, "unknown"


def resolve_date(expression: str, published: str | None) -> tuple[str | None, Granularity]:
    """The ISO day a DATE mention points to, at the start of its week/month/year, against
    the publication date; durations ("two months") and anything unsure give (None, "unknown")."""
    d, g = _resolve(expression, published)
    return (d.isoformat() if d else None), (g if d else "unknown")


@lru_cache(maxsize=16384)
def _resolve(expression: str, published: str | None) -> tuple[date | None, Granularity]:
    s = re.sub(r"\s+", " ", expression.lower().replace("’", "'")).strip(" .,;:!?\"'()")
    s = _LEAD.sub("", re.sub(r"'s\b", "", s))
    pub = _iso(published)
    if p := _first_date(s):
        if p[0] is not None:
            return _full(p), "day"
        return (_nearest_past(pub.year, p[1], p[2], pub) if pub else None), "day"
    if m := _MY.search(s):
        return _mk(int(m["year"]), _month(m["mon"]), 1), "month"
    if m := _MON_ONLY.match(s):
        return (_nearest_past(pub.year, _month(m["mon"]), 1, pub) if pub else None), "month"
    if re.search(_MON, s, re.I) and not _RELATIVE_WORDS.search(s):
        return _parsed(s, published if pub else None, pub is None)
    if (y := _YEAR_IN.findall(s)) and len(set(y)) == 1 and not _RELATIVE_WORDS.search(s):
        return date(int(y[0]), 1, 1), "year"
    if pub is None:
        return None, "unknown"
    if (s := s if s in _DAY_WORDS else _PART_OF_DAY.sub("", s)) in _DAY_WORDS:
        return pub + timedelta(days=_DAY_WORDS[s]), "day"
    if m := _WEEKDAY_REL.fullmatch(s):
        back = (pub.weekday() - _WEEKDAYS.index(m["wd"])) % 7
        if m["rel"] in ("next", "coming"):
            return pub + timedelta(days=(7 - back) or 7), "day"
        if m["rel"] and back == 0:
            back = 7  # "last Friday" in a Friday story is a week ago
        return pub - timedelta(days=back), "day"
    if m := _PERIOD_REL.fullmatch(s):
        k = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}[m["rel"]]
        return _shift(pub, m["unit"], k)
    if m := _AGO.fullmatch(s):
        n = _NUMBERS.get(m["n"]) or int(m["n"])
        return _shift(pub, m["unit"], -n)
    return None, "unknown"


def _shift(pub: date, unit: str, k: int) -> tuple[date | None, Granularity]:
    """``k`` units from the publication date, truncated to the start of that unit."""
    if unit == "day":
        return pub + timedelta(days=k), "day"
    if unit == "week":
        return pub - timedelta(days=pub.weekday()) + timedelta(weeks=k), "week"
    if unit == "month":
        return _add_months(pub, k), "month"
    return _mk(pub.year + k, 1, 1), "year"


def iso_week(date_iso: str) -> str | None:
    """"2013-W06": ISO weeks start on Monday, and early January may belong to last year's week."""
    if (d := _iso(date_iso)) is None:
        return None
    return "{}-W{:02d}".format(*d.isocalendar()[:2])


def period(date_iso: str, by: str) -> str | None:
    """The bucket a date falls in for counting by day, week, month or year."""
    if (d := _iso(date_iso)) is None:
        return None
    if by == "week":
        return iso_week(date_iso)
    formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    if by not in formats:
        raise ValueError(f"period by must be day, week, month or year, not {by!r}")
    return d.strftime(formats[by])
