"""Time expressions of Chinese news resolved to ISO date ranges.

A figure is only meaningful with its period (截至今年3月底, 今年1—9月, 前三季度),
and most periods leave the year to the reader: 今年, 去年, 10月底. ``resolve_period``
turns one expression into dates using the page's publication date; ``find_periods``
finds the expressions in a sentence (figure extraction also uses it so that 2023年 or
1至10月 are not read as quantities).

Dates are ISO ``YYYY-MM-DD``. When the year is unknown (no publication date) a month
or day keeps the year-less ISO form ``--MM-DD``, as ``kg.types`` does for datelines;
an open end is ``..`` (ISO 8601-2 interval notation).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from kg.figures.numbers import SP, fold_width, parse_number

#: Open end of an interval.
OPEN = ".."

# --------------------------------------------------------------------------------------
# Regex parts
# --------------------------------------------------------------------------------------

#: A calendar year as written: 2023 or 二〇二三 (1800–2199 for Arabic digits).
YEAR_NUM = r"(?:1[89][0-9]{2}|2[01][0-9]{2}|[〇○零一二三四五六七八九]{4})"
#: Years named relative to the publication year, with their offset.
RELATIVE_YEARS = {
    "今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "来年": 1,
}  # fmt: skip
#: A month number 1–12, Arabic or Chinese.
MONTH_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])"
#: A day number 1–31, Arabic or Chinese.
DAY_NUM = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
#: Range separators: 1—9月, 1至10月, 2018-2020年.
SEP = r"(?:——|[-—–~至到])"
#: Phrases that name a time without dates: resolvable only to "now", or not at all.
VAGUE = (
    "目前", "当前", "至今", "近年来", "近期以来", "近期", "近日", "日前", "近来",
    "近年",
)  # fmt: skip


def _year(s: str) -> str:
    """A year, absolute (2023年) or relative (今年); groups y<s> and yr<s>."""
    rel = "|".join(RELATIVE_YEARS)
    return rf"(?:(?P<y{s}>{YEAR_NUM}){SP}年|(?P<yr{s}>{rel}))"


def _sub(s: str) -> str:
    """The part of a point below the year; groups suffixed with ``s``."""
    return (
        rf"(?:(?P<m{s}>{MONTH_NUM}){SP}月份?"
        rf"(?:{SP}(?P<d{s}>{DAY_NUM}){SP}[日号]|(?P<mm{s}>底|末|初|上旬|中旬|下旬))?"
        rf"|第?(?P<q{s}>[一二三四1-4]){SP}季度"
        rf"|前(?P<qn{s}>[一二三1-3])个?季度"
        rf"|(?P<h{s}>[上下])半年"
        # 前10个月 (the year's first ten), not 此前1个月 (one month before)
        rf"|(?<![此之提])前(?P<fm{s}>{MONTH_NUM})个月"
        # 年底 but not 青年初心: words ending in 年 that are not years
        rf"|(?:(?<![青少成老中童周])(?P<yl{s}>年))?(?P<ym{s}>底|末|初)"
        rf"|(?P<yd{s}>度)"
        rf"|(?P<all{s}>全年)"
        # a day alone only in Arabic digits: 14日 (一日三餐 is not a date)
        rf"|(?P<dd{s}>3[01]|[12][0-9]|0?[1-9]){SP}日)"
    )


def _point(s: str) -> str:
    """One time point or stretch: 2023年9月10日, 今年3月底, 前三季度, 上半年, 2019年度.

    A year alone is a second branch whose groups end in ``y`` (group names are unique).
    """
    return rf"(?:(?:{_year(s)}{SP})?{_sub(s)}|{_year(s + 'y')})"


#: Characters a time expression can start with: a cheap first test at each position.
_STARTS = "0-9〇○零一二三四五六七八九十今本去上前明来第下年度底末初全近目当至日自从截"

_PERIOD = re.compile(
    rf"(?=[{_STARTS}])(?<![0-9])"
    rf"(?:(?:(?P<asof>截至|截止到|截止至|截止)|(?P<since>自|从)){SP})?(?:"
    rf"(?P<vague>{'|'.join(VAGUE)})"
    rf"|近(?P<nyr>[两二三四五六七八九十]|[0-9]{{1,2}})年(?:来|以来)?"
    rf"|(?P<ya>{YEAR_NUM}){SP}年?{SP}{SEP}{SP}(?P<yb>{YEAR_NUM}){SP}年度?"
    rf"|(?:{_year('_r')}{SP})?(?P<ma>{MONTH_NUM}){SP}(?:月份?)?{SP}{SEP}{SP}"
    rf"(?P<mb>{MONTH_NUM}){SP}月份?(?:底|末)?"
    rf"|{_point('_a')}(?:{SP}{SEP}{SP}(?:{_point('_b')}|(?P<jin>今)))?"
    r")"
    rf"(?:{SP}(?P<suffix>以来|起))?"
)


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time stated in text.

    ``start``/``end`` are ISO dates (``--MM-DD`` when the year is unknown, ``..``
    when open). ``kind`` says what the text stated: day, month, quarter, half, year,
    range (from–to), as_of (截至…: open start), since (…以来, …起, 自…: from a date
    up to now, or open), now (目前), relative (近两年). ``precision`` (day, month,
    year) is how exactly the text gives the end; ``label()`` cuts ``end`` to it
    (今年1—9月 → 2023-09).
    """

    start: str
    end: str
    text: str
    kind: str = "day"
    precision: str = "day"

    def label(self) -> str | None:
        """``end`` cut to the stated precision (2023-09), or None when open."""
        if self.end == OPEN:
            return None
        if self.end.startswith("--"):
            return self.end if self.precision == "day" else self.end[:4]
        cut = {"day": 10, "month": 7, "year": 4}[self.precision]
        return self.end[:cut]


# --------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------

#: Any leap year: stands in for an unknown year so 2月29日 stays valid.
_NO_YEAR = 2000

_Builder = Callable[[int], "tuple[date, date] | None"]


def _num(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return value if isinstance(value, int) else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span(
    year: int, m1: int, d1: int, m2: int, d2: int | None
) -> tuple[date, date] | None:
    """Dates for year/month/day numbers; ``d2`` None means the end of month ``m2``."""
    try:
        start = date(year, m1, d1)
        end = _month_end(year, m2) if d2 is None else date(year, m2, d2)
    except ValueError:
        return None
    return (start, end) if start <= end else None


class _Point:
    """The parts of one matched point (groups suffixed ``s``) and how to date them."""

    def __init__(self, m: re.Match[str], s: str) -> None:
        g = m.groupdict()
        self.year = _num(g[f"y{s}"] or g.get(f"y{s}y"))
        self.rel = g[f"yr{s}"] or g.get(f"yr{s}y")
        self.month = _num(g.get(f"m{s}"))
        self.day = _num(g.get(f"d{s}"))
        self.mmod = g.get(f"mm{s}")
        self.quarter = _num(g.get(f"q{s}"))
        self.first_quarters = _num(g.get(f"qn{s}"))
        self.half = g.get(f"h{s}")
        self.first_months = _num(g.get(f"fm{s}"))
        self.ymod = g.get(f"ym{s}")
        self.day_only = _num(g.get(f"dd{s}"))

    def kind(self) -> tuple[str, str]:
        """(kind, precision) of this point."""
        if self.month is not None:
            if self.day is not None or self.mmod in ("底", "末"):
                return "day", "day"
            return "month", ("day" if self.mmod else "month")
        if self.day_only is not None:
            return "day", "day"
        if self.quarter is not None:
            return "quarter", "month"
        if self.half:
            return "half", "month"
        if self.first_quarters is not None or self.first_months is not None:
            return "range", "month"
        if self.ymod in ("底", "末"):
            return "day", "day"
        if self.ymod == "初":
            return "month", "month"
        return "year", "year"

    def build(self, year: int, month: int | None = None) -> tuple[date, date] | None:
        """Dates of this point in ``year`` (``month`` for a bare day: 至10日)."""
        if self.month is not None:
            mo = self.month
            if self.day is not None:
                return _span(year, mo, self.day, mo, self.day)
            last = calendar.monthrange(year, mo)[1] if 1 <= mo <= 12 else 0
            mod = {
                "底": (last, None), "末": (last, None), "初": (1, 10), "上旬": (1, 10),
                "中旬": (11, 20), "下旬": (21, None), None: (1, None),
            }[self.mmod]  # fmt: skip
            return _span(year, mo, mod[0], mo, mod[1])
        if self.day_only is not None:
            if month is None:
                return None
            return _span(year, month, self.day_only, month, self.day_only)
        if self.quarter is not None:
            q = self.quarter
            return _span(year, 3 * q - 2, 1, 3 * q, None) if 1 <= q <= 4 else None
        if self.first_quarters is not None:
            return _span(year, 1, 1, 3 * self.first_quarters, None)
        if self.half:
            first = self.half == "上"
            return _span(year, 1, 1, 6, None) if first else _span(year, 7, 1, 12, None)
        if self.first_months is not None:
            return _span(year, 1, 1, self.first_months, None)
        if self.ymod in ("底", "末"):
            return _span(year, 12, 31, 12, 31)
        if self.ymod == "初":
            return _span(year, 1, 1, 1, None)
        return _span(year, 1, 1, 12, None)

    def explicit_year(self, pub: date | None) -> int | None:
        """The year the text names (2023年, or 今年 given ``pub``), else None."""
        if self.year is not None:
            return self.year
        if self.rel is not None and pub is not None:
            return pub.year + RELATIVE_YEARS[self.rel]
        return None


def _iso(d: date, year_known: bool) -> str:
    return d.isoformat() if year_known else d.strftime("--%m-%d")


def _nearest_year(build: _Builder, pub: date, past: bool) -> tuple[date, date] | None:
    """Dates for a year-less expression: the year putting it nearest ``pub``.

    News reports the recent past and announces the near future, so 11月14日 in a
    paper of 2024-01-10 is 2023-11-14 and 12月底 in one of 2023-11-15 is 2023-12-31.
    A stretch is measured from its end (前三季度 is reported once it is over, so in
    January it is last year's) and the future counts double, as reports outnumber
    announcements. ``past`` (截至…, …以来) keeps only candidates that have started by
    ``pub``.
    """
    best: tuple[int, tuple[date, date]] | None = None
    for year in (pub.year, pub.year - 1, pub.year + 1):
        span = build(year)
        if span is None or (past and span[0] > pub):
            continue
        end = span[1]
        dist = (pub - end).days if end <= pub else 2 * (end - pub).days
        if best is None or dist < best[0]:
            best = (dist, span)
    return None if best is None else best[1]


def _dates(build: _Builder, year: int | None, pub: date | None, past: bool) -> tuple[
    tuple[date, date] | None, bool
]:
    """(dates, year known) for ``build`` given the stated year, or the nearest one."""
    if year is not None:
        return build(year), True
    if pub is not None:
        return _nearest_year(build, pub, past), True
    return build(_NO_YEAR), False


def _resolve(m: re.Match[str], pub: date | None) -> Period | None:
    g = m.groupdict()
    text = m.group()
    past = bool(g["asof"] or g["since"] or g["suffix"] == "以来" or g["jin"])
    vague = g["vague"]
    if vague:
        if vague in ("目前", "当前", "至今") and pub is not None:
            kind = "as_of" if g["asof"] or vague == "至今" else "now"
            start = OPEN if kind == "as_of" else pub.isoformat()
            return Period(start, pub.isoformat(), text, kind)
        return None
    if g["nyr"]:
        n = _num(g["nyr"])
        if pub is None or not n:
            return None
        start = f"{pub.year - n + 1}-01-01"
        return Period(start, pub.isoformat(), text, "relative", "year")

    known = True
    if g["ya"]:
        ya, yb = _num(g["ya"]), _num(g["yb"])
        if ya is None or yb is None or ya > yb:
            return None
        span: tuple[date, date] | None = (date(ya, 1, 1), date(yb, 12, 31))
        kind, precision = "range", "year"
    elif g["ma"]:
        ma, mb = _num(g["ma"]), _num(g["mb"])
        if ma is None or mb is None:
            return None
        year = _Point(m, "_r").explicit_year(pub)
        if g["yr_r"] and year is None:
            return None
        span, known = _dates(lambda y: _span(y, ma, 1, mb, None), year, pub, past)
        kind, precision = "range", "month"
    else:
        a = _Point(m, "_a")
        if not _point_valid(g, "_a") or (a.rel and pub is None):
            return None
        year = a.explicit_year(pub)
        kind, precision = a.kind()
        if a.day_only is not None:  # 14日: in the paper's month, or the month before
            if pub is None:
                return None
            before = pub.replace(day=1) - timedelta(days=1)
            span = a.build(pub.year, pub.month)
            if span is None or span[0] > pub:
                span = a.build(before.year, before.month)
        else:
            span, known = _dates(a.build, year, pub, past)
        if span is not None and _has_point(g, "_b"):
            if not _point_valid(g, "_b"):
                return None
            b = _Point(m, "_b")
            b_year = b.explicit_year(pub)
            if b.rel and b_year is None:
                return None
            if b_year is None:
                b_year = span[0].year  # 2023年1月至10月: the year carries over
            b_span = b.build(b_year, span[0].month)
            if b_span is None or b_span[1] < span[0]:
                return None
            span = (span[0], b_span[1])
            kind, precision = "range", b.kind()[1]
    if span is None:
        return None
    start, end = _iso(span[0], known), _iso(span[1], known)
    if g["asof"]:
        return Period(OPEN, end, text, "as_of", precision)
    if g["jin"] or g["suffix"] == "以来":
        return Period(start, pub.isoformat() if pub else OPEN, text, "since", precision)
    if g["since"] or g["suffix"] == "起":
        return Period(start, OPEN, text, "since", precision)
    return Period(start, end, text, kind, precision)


#: Group names of a point, before their suffix.
_POINT_GROUPS = (
    "y", "yr", "m", "d", "mm", "q", "qn", "h", "fm", "yl", "ym", "yd", "all", "dd",
)  # fmt: skip


def _point_valid(g: dict[str, str | None], s: str) -> bool:
    """Whether the point with group suffix ``s`` is a time at all (末 or 度 alone are
    other words). Read from the groups: parsing the point's numbers (``_Point``) costs
    more than the whole match, and every match is checked."""
    has_year = any(g.get(f"{name}{s}{alone}") is not None
                   for name in ("y", "yr") for alone in ("", "y"))
    if g.get(f"ym{s}") and not (has_year or g.get(f"yl{s}")):
        return False
    return not (g.get(f"yd{s}") and not has_year)


def _has_point(g: dict[str, str | None], s: str) -> bool:
    """Whether the point with group suffix ``s`` took part in the match."""
    return any(g.get(name + s) is not None for name in _POINT_GROUPS) or any(
        g.get(name + s + "y") is not None for name in ("y", "yr")
    )


def _valid(m: re.Match[str]) -> bool:
    """Syntactic checks a regex cannot make (末 and 度 alone are not times)."""
    g = m.groupdict()
    if g["vague"] or g["nyr"] or g["ya"] or g["ma"]:
        return True
    if not _point_valid(g, "_a"):
        return False
    return not _has_point(g, "_b") or _point_valid(g, "_b")


def find_periods(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every time expression in ``text``, in order.

    Covers dates (2023年9月10日, 11月14日, 14日), months and their parts (10月底,
    3月上旬), quarters and halves (前三季度, 上半年), years (2024年, 去年, 2019年度),
    ranges (今年1—9月, 1至10月, 2018—2020年, 2023年1月至今), as-of and since forms
    (截至今年3月底, 今年以来, 自7月22日以来, 4月1日起) and vague ones (目前, 近年来,
    近两年). Offsets index ``text``; how each resolves is ``resolve_period``'s job.
    """
    folded = fold_width(text)
    matches = (m for m in _PERIOD.finditer(folded) if _valid(m))
    return [(m.start(), m.end(), text[m.start() : m.end()]) for m in matches]


def resolve_period(text: str, pub_date: date | None = None) -> Period | None:
    """The first time expression in ``text`` as dates, or None if there is none.

    Relative years (今年, 去年) need ``pub_date``; without it they give None. A month
    or day without a year takes the year that puts it nearest ``pub_date`` (never
    after it for 截至/以来), or the year-less ``--MM-DD`` form when ``pub_date`` is
    None. Vague words (近期, 近年来) give None; 目前 gives ``pub_date``. See
    ``Period`` for the kinds.
    """
    folded = fold_width(text)
    for m in _PERIOD.finditer(folded):
        if not _valid(m):
            continue
        period = _resolve(m, pub_date)
        if period is None:
            return None
        return Period(period.start, period.end, text[m.start() : m.end()], period.kind,
                      period.precision)  # fmt: skip
    return None
