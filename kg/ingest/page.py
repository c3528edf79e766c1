"""A page file → a ``Page``: clean text with offsets back to the original, and articles.

The cleaned text holds one block (paragraph, headline, byline) per line, in page order.
Spaces that PDF extraction put inside numbers (1.06 亿元, 11 月) are dropped; every kept
character remembers its offset in the original text.
"""

from __future__ import annotations

import re
from array import array
from datetime import date
from pathlib import Path

from kg.ingest.articles import Draft, lead_parts, parse_credits, split_articles
from kg.ingest.chars import HAN, normalise
from kg.ingest.decode import check_size, read_text
from kg.ingest.layout import CONTINUED_TO_RE, CREDIT_RE, Block, blocks, classify, split_lines
from kg.ingest.masthead import infer_publication, resolve_place
from kg.ingest.sentences import split_sentences
from kg.ingest.words import crosses_word
from kg.types import Article, Byline, Page

_OPENING_DATE = re.compile(r"\s*((?:\d{4}年)?\d{1,2}月\d{1,2}日)")
_NUMERIC = re.compile(r"[\d.%]")
_WIDE = re.compile(f"[{HAN}%万亿]")
_NOT_SPACE = re.compile(r"\S+")  # \s is str.isspace()


def _drop_space(prev: str, nxt: str) -> bool:
    """Spaces inside numbers and between a number and its Chinese unit are PDF artefacts."""
    if _NUMERIC.match(prev) and (_NUMERIC.match(nxt) or _WIDE.match(nxt)):
        return True
    return bool(_WIDE.match(prev) and nxt.isdigit())


class _Emitter:
    """Builds the clean text and its offset map block by block."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets = array("q")
        self.spans: dict[int, tuple[int, int]] = {}

    def emit(self, block: Block) -> tuple[int, int]:
        """Append a block's characters (a line of text) and their original offsets; a
        run of white space becomes one space at its first character's offset, or
        nothing inside a number. Runs of other characters are copied whole."""
        if id(block) in self.spans:
            return self.spans[id(block)]
        chars, offsets = self.chars, self.offsets
        if chars:
            chars.append("\n")
            offsets.append(offsets[-1] + 1)
        start = len(chars)
        pending: int | None = None  # offset of the first space not yet written
        prev = ""
        for k, line in enumerate(block.lines):
            text, base = line.text, line.start
            if k and prev.isascii() and prev.isalnum() and text[:1].isascii() \
                    and text[:1].isalnum():
                if pending is None:  # English words across a line break
                    pending = base - 1
            done = 0
            for m in _NOT_SPACE.finditer(text):
                a, b = m.span()
                if a > done and pending is None:
                    pending = base + done
                if pending is not None:
                    if not (prev and _drop_space(prev, text[a])):
                        chars.append(" ")
                        offsets.append(pending)
                    pending = None
                chars.extend(text[a:b])
                offsets.extend(range(base + a, base + b))
                prev = text[b - 1]
                done = b
            if done < len(text) and pending is None:
                pending = base + done
        end = len(chars)
        self.spans[id(block)] = (start, end)
        return start, end


def build_page(
    original: str,
    doc: str,
    path: str = "",
    encoding: str = "utf-8",
    publication: str | None = None,
    region: str | None = None,
    pub_date: str | None = None,
) -> Page:
    """Clean a decoded page and cut it into articles; InputError (naming ``path`` or
    ``doc``) when it is larger than a page (kg.ingest.decode.check_size)."""
    check_size(original, path or doc)
    lines = split_lines(original)
    classify(lines, crosses_word)
    page_blocks = blocks(lines)
    drafts = split_articles(page_blocks)
    emitter = _Emitter()
    for block in page_blocks:
        emitter.emit(block)
    text = "".join(emitter.chars)
    page = Page(doc=doc, path=path, original=original, text=text,
                offsets=emitter.offsets, encoding=encoding)
    page.publication = infer_publication(page, drafts, publication, region, pub_date)
    year = int(page.publication.date[:4]) if page.publication.date else None
    for draft in drafts:
        if draft.body:
            article = _article(page, draft, len(page.articles), emitter, year)
            if article.body.strip():  # not a bare (下转第二版)
                page.articles.append(article)
    return page


def _article(page: Page, draft: Draft, index: int, emitter: _Emitter,
             year: int | None) -> Article:
    spans = [emitter.spans[id(b)] for b in draft.body]
    body_start, end = spans[0][0], spans[-1][1]
    last = draft.body[-1]
    if last.lines[-1].continued_to:
        m = CONTINUED_TO_RE.search(page.text[body_start:end])
        if m:
            end = body_start + m.start()
    article = Article(doc=page.doc, index=index, title=None, body=page.text[body_start:end],
                      start=body_start, end=end, body_start=body_start, kind=draft.kind)
    _set_titles(page, article, draft)
    if article.title:
        for block in draft.title_blocks:
            a, b = emitter.spans[id(block)]
            if normalise(article.title).replace(" ", "")[:4] in page.text[a:b].replace(" ", ""):
                article.title_start, article.title_end = a, b
                break
    bylines: list[Byline] = []
    for block in draft.byline_blocks:
        bylines.extend(parse_credits(block.text))
    first = draft.body[0]
    lead = lead_parts(first.text) if first.kind == "lead" else None
    if lead:
        article.lead = lead["lead"]
        article.source = lead["source"]
        article.dateline_place = lead["place"]
        when = lead["date"]
        if when is None:  # 本报兰州讯(记者 薛砚)6月4日,… : the date opens the text
            opening = _OPENING_DATE.match(first.text[int(lead["end"] or 0):])
            when = opening.group(1) if opening else None
        article.dateline_date = _iso(when, year)
        article.dateline_regions = resolve_place(article.dateline_place, page.publication.region)
        if lead["credit"]:
            bylines.extend(parse_credits(lead["credit"]))
    for block in draft.credits:
        if block.kind != "signature":
            bylines.extend(parse_credits(block.text))
    for block in draft.body:  # photo credits that end a paragraph: … 授牌仪式 骆烨 摄
        credit = CREDIT_RE.search(block.text[-60:])
        if credit:
            bylines.extend(parse_credits(credit.group()))
    bylines.extend(Byline(name, "作者") for name in draft.signature)
    seen: set[str] = set()
    article.bylines = [b for b in bylines if not (b.name in seen or seen.add(b.name))]
    article.sentences = split_sentences(page.text, body_start, end)
    return article


def _set_titles(page: Page, article: Article, draft: Draft) -> None:
    """Title, subtitle and column from a headline group, in the page's own characters."""
    lines = [line for block in draft.title_blocks for line in block.lines]
    if not lines:
        return
    texts = [page.original[ln.start:ln.end].strip() for ln in lines]
    subtitles = [t for t in texts if t.startswith("——")]
    mains = [t for t in texts if not t.startswith("——")]
    if len(mains) >= 2 and _is_kicker(mains[0], mains[1]):
        article.column = mains.pop(0)
    if not mains:
        mains, subtitles = subtitles[:1], subtitles[1:]
    title = _dedupe_repeated(mains[0])
    if "——" in title.strip("—"):
        title, _, sub = title.partition("——")
        subtitles.insert(0, "——" + sub)
    subtitles = mains[1:] + subtitles
    article.title = title.strip()
    if subtitles:
        article.subtitle = " ".join(s.strip() for s in subtitles)


def _is_kicker(first: str, second: str) -> bool:
    """A column name printed above a headline: 新时代 新征程 新伟业, 高质量发展调研行."""
    parts = first.split()
    if len(parts) >= 3 and all(len(p) <= 4 for p in parts):
        return True
    return len(first.replace(" ", "")) <= 8 and len(second) > len(first)


def _dedupe_repeated(title: str) -> str:
    """PDF extraction sometimes repeats a headline: keep one copy."""
    parts = title.split()
    if len(parts) >= 2 and parts[0] == parts[1]:
        return parts[0]
    return title


def _iso(text: str | None, year: int | None) -> str | None:
    """6月4日 → 2024-06-04 when the year is known, else --06-04."""
    if not text:
        return None
    m = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", text)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) else year
    month, day = int(m.group(2)), int(m.group(3))
    try:
        date(y or 2000, month, day)
    except ValueError:
        return None
    return f"{y:04d}-{month:02d}-{day:02d}" if y else f"--{month:02d}-{day:02d}"


def read_page(path: str | Path, publication: str | None = None, region: str | None = None,
              pub_date: str | None = None) -> Page:
    """Read, decode, clean and split one page file."""
    path = Path(path)
    original, encoding = read_text(path)
    return build_page(original, path.name, str(path), encoding, publication, region, pub_date)
