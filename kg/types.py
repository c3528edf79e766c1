"""Plain dataclasses passed between the stages ingest → extract → resolve → graph → export.

Offsets are character offsets into ``Page.text`` (the cleaned page text) unless a name
says otherwise; ``Page.to_original`` maps them back to the file as it was read.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field


@dataclass(slots=True)
class Publication:
    """The newspaper a page comes from, as far as its text (or the user) says."""

    name: str | None = None
    region: str | None = None  # canonical region name, e.g. 甘肃省
    date: str | None = None  # ISO date of the issue when known


@dataclass(slots=True)
class Byline:
    """A person credited in a byline: 记者 李永萍, 通讯员 乔洁, 摄影 骆烨 …"""

    name: str
    role: str  # 记者, 通讯员, 实习生, 摄影, 作者
    start: int = -1
    end: int = -1


@dataclass(slots=True)
class Sentence:
    """One sentence of an article body; ``start``/``end`` index ``Page.text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """One article (or photo caption, or continuation) cut from a page."""

    doc: str
    index: int
    title: str | None
    body: str
    start: int  # span of the whole article (title included) in Page.text
    end: int
    body_start: int
    kind: str = "article"  # article | caption | continuation
    title_start: int = -1  # span of the headline line in Page.text (-1: none)
    title_end: int = -1
    subtitle: str | None = None
    column: str | None = None
    lead: str | None = None  # 本报兰州6月4日讯, 新华社北京11月14日电 …
    source: str | None = None  # 本报, 新华社, 青海日报 …
    dateline_place: str | None = None
    dateline_date: str | None = None  # ISO date, or --MM-DD when the year is unknown
    dateline_regions: list[str] = field(default_factory=list)  # 兰州 → [兰州市, 甘肃省]
    bylines: list[Byline] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable id: the file name and the article's position on the page."""
        return f"{self.doc}#{self.index}"


@dataclass(slots=True)
class Page:
    """A page file after decoding and clean-up, with its articles."""

    doc: str  # file name, e.g. 000_01d39a0b178f4c28.txt
    path: str
    original: str  # decoded text as read
    text: str  # cleaned text: lines repaired, characters normalised
    offsets: array  # offsets[i] = index in ``original`` of ``text[i]``
    encoding: str
    publication: Publication = field(default_factory=Publication)
    articles: list[Article] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to ``original``."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_span(self, start: int, end: int) -> str:
        """The original characters behind a span of ``text`` (line breaks included)."""
        a, b = self.to_original(start, end)
        return self.original[a:b]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was read: file, article, sentence, characters, and which rule found it."""

    doc: str
    article: int
    sentence: int
    start: int
    end: int
    extractor: str
