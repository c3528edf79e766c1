"""Figures: every statistic of a page as a record with metric, period and scope.

``extract_figures(page)`` reads each article sentence by sentence (and the title):

1. ``find_quantities`` finds the numbers with their units (2443.33万人 → 24433300 人,
   排名第五位 → 5 名次) and already refuses dates, ordinals (第七批), session names and
   numbers in 《》 titles.
2. ``_refusal`` drops what only looks like a statistic (each rule is stated there):
   numbers that are part of a name (中国资本市场50人论坛), durations that are not
   measured (此前1个月, 三天的学习考察), targets quoted from plans (“到2025年底…60%以上…”),
   and small Chinese numerals that count an enumeration (生产、销售、回收、报废四类市场)
   or are not stated as a result (两项指标均…).
3. ``kg.figures.metric.find_metric`` finds the metric in the figure's clause.
4. The period is the nearest time expression before the number in the sentence (not
   a comparison baseline: 较去年底; a bare 今年 defers to a more precise time before
   it: 截至10月底，今年…), else one governing the paragraph from an earlier sentence
   (截至…, …以来, 1—9月, 目前, or a time opening its sentence), else the article's
   first sentence's (本报兰州6月4日讯). It is resolved against
   ``page.publication.date`` by ``resolve_period``: ``date`` needs a known year and
   is None for open stretches (今年以来, 截至目前), which keep ``period_start``/``_end``.
5. The scope is the nearest region before the number (``kg.figures.scope``), else the
   title's, the last one of the article so far, the first sentence's, the dateline's,
   the page's home region.

A figure in a title that its body repeats is counted once (the body one is kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import partial
from typing import Any, Generic, TypeVar

from kg.figures.metric import (
    CLAUSE_SEPARATORS,
    MetricPhrase,
    ends_with_head,
    find_metric,
    tag,
)
from kg.figures.numbers import Quantity, find_quantities
from kg.figures.periods import OPEN, VAGUE, Period, find_periods, resolve_period
from kg.figures.scope import Mention, ScopeResolver
from kg.types import Article, Page, Provenance

EXTRACTOR = "figures.rules"
T = TypeVar("T")
#: The keys of a figure in a report (SCHEMA.md), in order.
REPORT_KEYS = ("text", "metric", "value", "unit", "date", "date_text", "scope", "about")

#: Units that count things with a classifier: a noun after them is what is counted.
_CLASSIFIER_KINDS = frozenset({"count"})
#: Words right after a number that make it part of a name (中国资本市场50人论坛,
#: 10周年年会).
_NAME_AFTER = ("论坛", "峰会", "俱乐部", "周年", "强县", "强市", "强企")
#: After a duration: it qualifies something else (三天的学习考察, 6年多时间里, 1个月后).
_DURATION_AFTER = re.compile(r"多?(?:的|时间|里|内|后|前|以来|来|之内|之后|之前|期间)")
#: Before a duration: a relative time, not a measure (此前1个月, 提前十分钟).
_DURATION_BEFORE = (
    "此前", "之前", "提前", "此后", "之后", "前", "后", "每", "用了", "花了",
)  # fmt: skip
#: Words introducing a quoted target or plan (提出的“到2025年底…60%以上…”的目标).
_TARGET_BEFORE = re.compile(
    r"(?:提出|明确|要求|规定|目标|确定|计划|力争|争取)(?:了|的)?$"
)
_TARGET_AFTER = re.compile(r"(?:的)?(?:目标|要求|任务)")
#: Characters before a small Chinese numeral that make it an ordinal or a pointer
#: (前两批, 这三项, 首两年).
_POINTER_BEFORE = frozenset("前后这那此该首头")
#: Modal words that make a sentence a directive (要抓好三件大事): its small counts
#: are tasks, not results.
_DIRECTIVES = frozenset({"要", "应", "须", "必须", "应当", "务必"})
#: Chinese numerals at or below this value are often words rather than statistics
#: (两项指标, 三天的…, 五名同志): ``_small_numeral_refusal`` checks them.
_SMALL_CN = 10
#: A number that is written in Chinese numerals only.
_CN_ONLY = re.compile(r"^[〇○零一二两三四五六七八九十百千万亿]+")
#: 《…》 document titles, with the years an aside may add: 《…工作方案》(2018—2020年).
_BOOK_TITLE = re.compile(r"《[^《》]{1,100}》(?:[(（][^()（）]{1,20}[)）])?")
#: “…” quotations.
_QUOTATION = re.compile(r"“[^“”]{1,200}”")
#: Program-like heads for ``about``: an insurance, plan, project or campaign named in
#: the metric (基本医疗保险参保人数 → 基本医疗保险).
_PROGRAM = re.compile(r"^.{2,14}?(?:医疗保险|保险|计划|工程|行动)")
_QUOTED = re.compile(r"“([^“”]{2,20})”")


@dataclass(slots=True)
class Figure:
    """One statistic: the number, what it measures, when and where, and its source.

    ``value`` is normalised (万/亿 folded in, money in 元, a percentage as shown);
    ``unit``/``unit_kind`` come from units.tsv; ``qualifier`` is the word before the
    number (达, 同比增长, 近), ``change`` says 'increase'/'decrease' when the number is
    a change, ``approx`` the approximation words (余, 以上, 近). ``date`` is an ISO
    date, year-month or year (None when the text does not fix the year);
    ``period_start``/``period_end`` the stretch it covers (None when open or unknown).
    ``scope`` is the canonical region the figure is about, ``about`` a program or topic
    named with it. ``provenance.sentence`` is -1 for a figure read from a title.
    """

    text: str
    metric: str | None
    metric_norm: str | None
    value: int | float
    unit: str | None
    unit_kind: str | None
    qualifier: str | None
    change: str | None
    approx: str | None
    date: str | None
    date_text: str | None
    period_start: str | None
    period_end: str | None
    scope: str | None
    about: str | None
    provenance: Provenance
    currency: str | None = None


def figure_dict(f: Figure) -> dict:
    """The figure as a report item: exactly SCHEMA.md's figure keys."""
    return {key: getattr(f, key) for key in REPORT_KEYS}


#: A figure's fields in a CSV row, in order (all of them but its provenance).
_ROW_KEYS = tuple(f.name for f in fields(Figure) if f.name != "provenance")


def figure_row(f: Figure, article: Article) -> dict:
    """A flat CSV row: every field, the source article and sentence, and offsets.
    The fields are plain values: read as they are (``asdict`` deep-copies each)."""
    row = {key: getattr(f, key) for key in _ROW_KEYS}
    p = f.provenance
    if p.sentence >= 0 and p.sentence < len(article.sentences):
        sentence = article.sentences[p.sentence].text
    else:
        sentence = article.title or ""
    row.update(
        doc=p.doc,
        article=p.article,
        article_title=article.title,
        sentence_index=p.sentence,
        sentence=sentence,
        start=p.start,
        end=p.end,
        extractor=p.extractor,
    )
    return row


# --------------------------------------------------------------------------------------
# Refusals: what only looks like a statistic
# --------------------------------------------------------------------------------------


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int,
            spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= start and end <= e:
            return s, e
    return None


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_SEPARATORS:
        i -= 1
    return i


def _number_start(q: Quantity) -> int:
    """Offset in the sentence where the number itself starts (after 排名 for ranks)."""
    m = re.search(r"[0-9〇○零一二两三四五六七八九十百千万亿]", q.text)
    return q.start + (m.start() if m else 0)


def _refusal(text: str, q: Quantity, quotes: list[tuple[int, int]]) -> str | None:
    """Why the quantity ``q`` of sentence ``text`` is not a statistic, or None."""
    after = text[q.end : q.end + 4]
    if after.startswith(_NAME_AFTER):
        return "part of a name"
    quote = _inside(q.start, q.end, quotes)
    if quote is not None:
        before = text[max(0, quote[0] - 6) : quote[0]]
        if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(text, quote[1]):
            return "quoted target"
    if q.unit_kind == "time" and q.qualifier not in ("连续",) and q.change is None:
        before = text[max(0, q.start - 2) : q.start]
        if _DURATION_AFTER.match(text, q.end) or before.endswith(_DURATION_BEFORE):
            return "relative duration"
    chinese = _CN_ONLY.match(q.text) and not re.search(r"[0-9]", q.text)
    if chinese and q.unit_kind != "rank" and q.value <= _SMALL_CN:
        return _small_numeral_refusal(text, q)
    return None


def _small_numeral_refusal(text: str, q: Quantity) -> str | None:
    """Small Chinese numerals (两项, 三天, 五名) are statistics only when stated as one.

    Refused: a numeral opening its clause (，两项指标均…; 三天的学习考察), after a
    pointer (前两批, 这三项), in a directive (要…抓好三件大事), counting the
    enumeration before it (生产、销售、回收、报废四类市场), or after a name, pronoun or
    particle (…魏万红五名同志, 效果的四个落实).
    Accepted after a verb, preposition or other content word (新建两条跑道, 评选三届,
    通过六个篇章).
    """
    start = _number_start(q)
    if start and text[start - 1] in _POINTER_BEFORE:
        return "pointer or ordinal"
    before = text[:start]
    # cut into words only when a modal is there: most sentences have none
    if any(w in before for w in _DIRECTIVES) \
            and any(w in _DIRECTIVES for _, _, w, _ in tag(before)):
        return "a directive, not a result"  # 要坚持…，抓好三件大事
    clause = text[_clause_start(text, start) : start]
    if "、" in clause and clause.count("、") + 1 == q.value:
        return "counts an enumeration"
    if q.qualifier:
        return None
    if not clause.strip():
        return "a small numeral opening its clause"
    last_word, flag = tag(clause)[-1][2:]
    if flag in ("nr", "nrfg", "nrt", "r", "x") or flag.startswith("u") \
            or last_word in "的了着过":
        return "a small numeral after a name or particle"
    return None


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Time:
    start: int
    end: int
    text: str
    period: Period | None


def _pub_date(page: Page) -> date | None:
    text = page.publication.date
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _times(periods: list[tuple[int, int, str]], pub: date | None,
           titles: list[tuple[int, int]], resolved: dict[str, Period | None]
           ) -> list[_Time]:
    """The time expressions outside titles, resolved (``resolved`` keeps what a page
    resolved already: its times repeat, 今年 and 目前 most)."""
    out = []
    for s, e, t in periods:
        if _inside(s, e, titles):
            continue
        if t not in resolved:
            resolved[t] = resolve_period(t, pub)
        out.append(_Time(s, e, t, resolved[t]))
    return out


#: Kinds of time expression that govern the sentences after them (截至今年3月底, 今年
#: 1—9月, 今年以来, 目前, 近两年), unlike a year or day named in passing inside a
#: sentence (青海2023年度…考核靠前十件事项); a time opening a sentence (2023年，杭州市…)
#: governs what follows too.
_LIST_KINDS = frozenset(
    {"as_of", "since", "range", "now", "relative", "quarter", "half"}
)

#: The as-of words before a time (截至目前 is as vague as 目前).
_AS_OF = re.compile(r"^(?:截至|截止到|截止至|截止)")
#: Words before a time that make it the baseline of a comparison (较去年底, 比上年).
_BASELINE_BEFORE = ("较", "比", "相比", "与", "同")

#: Kinds whose end is only implied by the publication date: no ``date`` (the stretch
#: stays in ``period_start``/``period_end``).
_OPEN_KINDS = frozenset({"since", "now", "relative"})


def _governs_list(t: _Time) -> bool:
    return t.period is None or t.period.kind in _LIST_KINDS


def _date_fields(
    t: _Time | None,
) -> tuple[str | None, str | None, str | None, str | None]:
    """(date, date_text, period_start, period_end) of a time expression."""
    if t is None:
        return None, None, None, None
    p = t.period
    if p is None:
        return None, t.text, None, None
    label = p.label()
    if label is not None and label.startswith("--"):
        label = None  # the year is not known
    if p.kind in _OPEN_KINDS or _AS_OF.sub("", t.text) in VAGUE:
        label = None  # 今年以来, 截至目前: the text states no date, only a stretch
    start = None if p.start == OPEN else p.start
    end = None if p.end == OPEN else p.end
    return label, t.text, start, end


# --------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------


def _about(metric: MetricPhrase | None, text: str, left: int,
           start: int) -> str | None:
    """A program or topic named with the figure: a quoted name in the metric or its
    clause (“医银一体化”服务点), or an insurance, plan or project the metric starts
    with (基本医疗保险参保人数 → 基本医疗保险)."""
    clause = text[left:start]
    if metric is not None:
        m = _QUOTED.search(metric.text)
        if m:
            return m.group(1)
        m = _PROGRAM.match(metric.norm)
        if m:
            return m.group()
    m = _QUOTED.search(clause)
    return m.group(1) if m else None


class _Once(Generic[T]):
    """A property computed on first read and kept in the instance: what
    ``functools.cached_property`` does, without its lock, which costs more (about a
    microsecond) than most of what a reading keeps."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class _Reading:
    """What the extractor reads in a sentence (or title) around its figures, each part
    read when first asked for: most sentences hold no figure, and what one carries to
    the sentences after it (its last time and place) matters only to a figure there."""

    def __init__(self, extractor: _PageExtractor, article: Article, text: str,
                 offset: int) -> None:
        self.extractor, self.article = extractor, article
        self.text, self.offset = text, offset

    @_Once
    def titles(self) -> list[tuple[int, int]]:
        return _spans(_BOOK_TITLE, self.text)

    @_Once
    def quotes(self) -> list[tuple[int, int]]:
        return _spans(_QUOTATION, self.text)

    @_Once
    def parens(self) -> list[tuple[int, int]]:
        return _paren_spans(self.text)

    @_Once
    def periods(self) -> list[tuple[int, int, str]]:
        return find_periods(self.text)

    @_Once
    def times(self) -> list[_Time]:
        x = self.extractor
        return _times(self.periods, x.pub, self.titles, x.resolved)

    @_Once
    def mentions(self) -> list[Mention]:
        return self.extractor.scopes.mentions(self.text)

    @_Once
    def subjects(self) -> list[Mention]:
        """The mentions a figure can be about: places inside names, quotations and
        asides are not."""
        asides = self.titles + self.quotes + self.parens
        return [
            m for m in self.mentions
            if not _inside(m.start, m.end, asides)
            and not self.extractor.scopes.is_reference(self.text, m)
        ]  # fmt: skip

    @property
    def last_time(self) -> _Time | None:
        return self.times[-1] if self.times else None

    @_Once
    def last_scope(self) -> str | None:
        return self.extractor._last_scope(self.article, self.offset, self.subjects)


class _PageExtractor:
    """Page-wide state: the scope resolver, the publication date, the times resolved."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pub = _pub_date(page)
        self.scopes = ScopeResolver(page)
        self.resolved: dict[str, Period | None] = {}

    def run(self) -> list[Figure]:
        out: list[Figure] = []
        for article in self.page.articles:
            out.extend(self._article(article))
        return out

    def _paragraph(self, pos: int) -> int:
        return self.page.text.rfind("\n", 0, pos) + 1

    def _article(self, article: Article) -> list[Figure]:
        figures: list[Figure] = []
        read: list[tuple[int, int, _Reading]] = []  # (index, paragraph, reading)
        prev_tail = ""
        for sentence in article.sentences:
            para = self._paragraph(sentence.start)
            reading = _Reading(self, article, sentence.text, sentence.start)
            figures.extend(self._sentence(
                article, sentence.index, reading,
                partial(_carried_time, read, len(read), para),
                partial(_carried_scope, read, len(read)), prev_tail,
            ))  # fmt: skip
            read.append((sentence.index, para, reading))
            ended = sentence.text.endswith(("。", "！", "？", "!", "?", "”", "…"))
            prev_tail = "" if ended else sentence.text
        if article.title:
            figures = self._title_figures(article, figures) + figures
        return figures

    def _title_figures(self, article: Article, body: list[Figure]) -> list[Figure]:
        title = article.title or ""
        seen = {(f.value, f.unit) for f in body}
        found = self._sentence(article, -1, _Reading(self, article, title, -1),
                               _nothing, _nothing, "")
        offset = self.page.text.rfind(title, 0, article.body_start + 1)
        out = []
        for f in found:
            if (f.value, f.unit) in seen:
                continue  # the body repeats it: counted once, from the body
            p = f.provenance
            if offset >= 0:
                p = replace(p, start=offset + p.start, end=offset + p.end)
            else:
                p = replace(p, start=-1, end=-1)
            out.append(replace(f, provenance=p))
        return out

    def _sentence(self, article: Article, index: int, reading: _Reading,
                  carried_time: Callable[[], _Time | None],
                  carried_scope: Callable[[], str | None],
                  prev_tail: str) -> list[Figure]:
        """Figures of one sentence; ``carried_time`` and ``carried_scope`` give what
        the sentences before it carry, for a figure without its own."""
        text, offset = reading.text, reading.offset
        quantities = find_quantities(text, lambda: reading.periods)
        kept = [q for q in quantities if _refusal(text, q, reading.quotes) is None]
        if not kept:  # most sentences
            return []
        times, mentions, subjects = reading.times, reading.mentions, reading.subjects
        blocked = [(t.start, t.end) for t in times]
        blocked += [(m.start, m.end) for m in mentions]
        figures: list[Figure] = []
        metrics: list[MetricPhrase | None] = []
        accepted: list[Quantity] = []
        for q in kept:
            left, right, at_separator = _clause_bounds(text, q, quantities,
                                                       reading.parens)
            metric = find_metric(
                text, q.start, q.end, left, right, q.qualifier,
                q.unit_kind in _CLASSIFIER_KINDS, blocked, at_separator,
            )  # fmt: skip
            if metric is None and prev_tail and left == 0:
                metric = _from_previous(prev_tail)
            if metric is None and metrics and metrics[-1] is not None and q.qualifier \
                    and q.change is None and q.qualifier.endswith(("到", "至")):
                m = metrics[-1]  # 由28.89%提高到34.24%: the same metric
                metric = MetricPhrase(m.text, m.norm, -1, -1, m.verb)
            if q.change and (metric is None or len(metric.norm) <= 2) and not (
                metric and metric.after
            ):
                metric = _with_change(metric, q)  # 平均降价55%, 同比增长19.43%
            if not _measured_duration(q, metric):
                continue
            if q.unit in ("人", "个") and metric is not None and metric.after \
                    and metric.norm.endswith(_HOUSEHOLD):
                q = replace(q, unit="户")  # 21名…困难职工家庭: households
            metrics.append(metric)
            accepted.append(q)
            time = self._time_for(text, q, times, quantities) or carried_time()
            scope = (
                self._scope_for(article, offset, q, subjects)
                or self.scopes.title_scope(article)
                or carried_scope()
                or self.scopes.lead_scope(article)
                or self.scopes.dateline_scope(article)
                or self.scopes.home_scope()
            )
            figures.append(self._figure(article, index, text, offset, q, metric, time,
                                        scope, left))  # fmt: skip
        _fill_elliptic_units(figures, accepted)
        return figures

    def _figure(self, article: Article, index: int, text: str, offset: int,
                q: Quantity, metric: MetricPhrase | None, time: _Time | None,
                scope: str | None, left: int) -> Figure:
        start, end = q.start, q.end
        if q.qualifier and text[:start].endswith(q.qualifier):
            start -= len(q.qualifier)
        if metric is not None and metric.start >= 0:
            if metric.after:
                end = max(end, metric.end)
            else:
                start = min(start, metric.start)
        date_, date_text, p_start, p_end = _date_fields(time)
        metric_norm = metric.norm if metric else None
        if metric_norm and q.unit_kind == "rank" and not metric_norm.endswith("排名"):
            metric_norm += "排名"
        return Figure(
            text=text[start:end],
            metric=metric.text if metric else None,
            metric_norm=metric_norm,
            value=q.value,
            unit=q.unit,
            unit_kind=q.unit_kind,
            qualifier=q.qualifier,
            change=q.change,
            approx=q.approx,
            date=date_,
            date_text=date_text,
            period_start=p_start,
            period_end=p_end,
            scope=scope,
            about=_about(metric, text, left, q.start),
            provenance=Provenance(
                self.page.doc, article.index, index,
                offset + start if offset >= 0 else start,
                offset + end if offset >= 0 else end, EXTRACTOR,
            ),  # fmt: skip
            currency=q.currency,
        )

    # ---------------------------------------------------------------- period, scope

    @staticmethod
    def _time_for(text: str, q: Quantity, times: list[_Time],
                  quantities: list[Quantity]) -> _Time | None:
        """The nearest time expression before ``q`` that governs it."""
        starts = {other.start: other for other in quantities}
        found: _Time | None = None
        for t in reversed(times):
            if t.end > q.start:
                continue
            if text[max(0, t.start - 2) : t.start].endswith(_BASELINE_BEFORE):
                continue  # 较去年底增加3.6万户: the baseline of a change, not its date
            # 由2022年的28.89%: a time joined by 的 to one figure governs that one only
            nxt = t.end + 1 if text[t.end : t.end + 1] == "的" else -1
            if nxt in starts and starts[nxt] is not q:
                continue
            if found is None:
                found = t
                if t.period is None or t.period.kind != "year":
                    return t
                continue
            # 截至10月底,今年全省共查处…: a year repeating a more precise time before it
            year = found.period.end[:4] if found.period else None
            if t.period is not None and t.period.kind != "year" \
                    and t.period.end[:4] == year:
                return t
        return found

    def _resolve(self, article: Article, offset: int, m: Mention) -> str | None:
        pos = offset + m.start if offset >= 0 else article.start
        return self.scopes.resolve(m, article, pos)

    def _scope_for(self, article: Article, offset: int, q: Quantity,
                   mentions: list[Mention]) -> str | None:
        for m in reversed(mentions):
            if m.end > q.start:
                continue
            name = self._resolve(article, offset, m)
            if name:
                return name
        return None

    def _last_scope(self, article: Article, offset: int,
                    mentions: list[Mention]) -> str | None:
        for m in reversed(mentions):
            name = self._resolve(article, offset, m)
            if name:
                return name
        return None


def _carried_time(read: list[tuple[int, int, _Reading]], before: int,
                  para: int) -> _Time | None:
    """The time the sentences ``read[:before]`` carry into paragraph ``para``: the
    last one in that paragraph that governs what follows (截至…, 今年以来, or a time
    opening its sentence), else the first sentence's (本报兰州6月4日讯)."""
    for k in range(before - 1, -1, -1):
        _, p, reading = read[k]
        t = reading.last_time
        if p == para and t is not None and (_governs_list(t) or t.start == 0):
            return t
    for k in range(before - 1, -1, -1):
        index, _, reading = read[k]
        if index == 0 and reading.last_time is not None:
            return reading.last_time
    return None


def _carried_scope(read: list[tuple[int, int, _Reading]], before: int) -> str | None:
    """The place the sentences ``read[:before]`` carry: the last one's last place."""
    for k in range(before - 1, -1, -1):
        scope = read[k][2].last_scope
        if scope is not None:
            return scope
    return None


def _nothing() -> None:
    return None


#: Counted nouns that make a count of people a count of households.
_HOUSEHOLD = ("家庭", "户")


def _measured_duration(q: Quantity, metric: MetricPhrase | None) -> bool:
    """A duration is a statistic only as a measured quantity: after a qualifier or a
    change (拥有140多年, 下降0.8天, 连续15年) or a metric head (优良天数249天); not
    打造公共服务15分钟便民生活圈."""
    if q.unit_kind != "time":
        return True
    if q.qualifier or q.change:
        return True
    return metric is not None and not metric.after and ends_with_head(metric.norm)


#: Brackets, found by a regex: most sentences have none, and none is found in C.
_PAREN = re.compile("[(（)）]")


def _paren_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for m in _PAREN.finditer(text):
        i = m.start()
        if text[i] in "(（":
            stack.append(i)
        elif stack:
            s = stack.pop()
            if not stack:
                spans.append((s, i + 1))
    return spans


def _clause_bounds(text: str, q: Quantity, quantities: list[Quantity],
                   parens: list[tuple[int, int]]) -> tuple[int, int, bool]:
    """(left, right, right is a separator) of the figure's clause: separators and
    neighbouring figures.

    Separators and figures inside a bracketed aside do not count for a figure outside
    it (完成年度目标任务(45000人)的124.55%); 、 splits only after an earlier figure
    (签约合同项目38个、签约金额174.93亿元, not 特困人员、低保对象…).
    """
    own = _inside(q.start, q.end, parens)

    def visible(pos: int) -> bool:
        box = _inside(pos, pos + 1, parens)
        return box is None or box == own

    left = 0
    for i in range(q.start - 1, -1, -1):
        if text[i] in CLAUSE_SEPARATORS and visible(i):
            left = i + 1
            break
        if own is not None and i < own[0]:
            left = own[0] + 1
            break
    prev_end = -1
    for other in quantities:
        if other.end <= q.start and other.end > left and visible(other.start):
            prev_end = max(prev_end, other.end)
    if prev_end >= 0:
        left = prev_end
        comma = text.rfind("、", prev_end, q.start)
        if comma >= 0 and visible(comma):
            left = comma + 1
    right, at_separator = len(text), True
    for i in range(q.end, len(text)):
        if text[i] in CLAUSE_SEPARATORS + "、" and visible(i):
            right = i
            break
    for other in quantities:
        if other.start >= q.end and other.start < right:
            right, at_separator = other.start, False
            break
    if own is not None and own[1] - 1 < right:
        right, at_separator = own[1] - 1, True
    return left, right, at_separator


def _with_change(metric: MetricPhrase | None, q: Quantity) -> MetricPhrase:
    """A metric that is the change itself (平均 + 降价, 同比增长)."""
    verb = q.qualifier or ""
    if metric is None:
        return MetricPhrase(verb, verb, q.start - len(verb), q.start, verb)
    return MetricPhrase(metric.text + verb, metric.norm + verb, metric.start, q.start,
                        metric.verb)  # fmt: skip


def _from_previous(tail: str) -> MetricPhrase | None:
    """A metric left at the end of the previous line-sentence (…医疗服务价格 / 557项)."""
    metric = find_metric(tail, len(tail), len(tail), _clause_start(tail, len(tail)),
                         len(tail))  # fmt: skip
    if metric is None:
        return None
    return MetricPhrase(metric.text, metric.norm, -1, -1, metric.verb)


def _fill_elliptic_units(figures: list[Figure], quantities: list[Quantity]) -> None:
    """A bare 万/亿 figure among money figures of one unit is money too (达20万左右)."""
    units = {(f.unit, f.unit_kind) for f in figures if f.unit is not None}
    if len(units) != 1:
        return
    unit, kind = next(iter(units))
    if kind != "money":
        return
    for f, q in zip(figures, quantities, strict=True):
        if f.unit is None and re.search(r"[万亿]", q.text):
            f.unit, f.unit_kind = unit, kind
            f.currency = "CNY" if unit == "元" else None


def extract_figures(page: Page) -> list[Figure]:
    """Every statistic on ``page``, in page order (titles before their bodies)."""
    return _PageExtractor(page).run()
