"""Page blocks → articles: headlines, leads, bylines, continuations and captions.

A newspaper page holds several articles, and PDF extraction loses the boxes around
them. What is left are signals, used here in order of strength:
- a lead (本报兰州6月4日讯, 新华社北京11月14日电, 青海日报讯), a boxed byline (□本报记者 X)
  or a continuation marker ((上接一版)) starts an article;
- (下转第二版), an author's signature ((宗和)) or a photo credit (X 摄) ends one;
- a headline belongs to the article that follows it when a byline or lead follows it, or
  when the text after it changes subject; a headline with no body after it (printed
  below its article, as some layouts do) goes back to the nearest earlier article that
  has none, the one whose opening words it shares most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.ingest.chars import HAN, PARAGRAPH_END
from kg.ingest.layout import (
    LEAD_RE,
    ROLE_RE,
    has_credit,
    SIGNATURE_RE,
    Block,
    is_name,
)
from kg.types import Byline

#: Below this share of shared character pairs, the text after a headline is taken to be
#: about something else than the text before it: a new article, not a section heading.
TOPIC_SHIFT = 0.03
#: A headline printed away from its article must share at least this share of its
#: character pairs with that article's opening.
ORPHAN_MATCH = 0.1
#: A photo caption is short; longer text before a credit is an article's body.
CAPTION_MAX = 400


@dataclass(slots=True)
class Draft:
    """An article being assembled from blocks."""

    title_blocks: list[Block] = field(default_factory=list)
    byline_blocks: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    kind: str = "article"
    closed: bool = False
    credits: list[Block] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)

    @property
    def has_body(self) -> bool:
        return any(b.kind != "heading" for b in self.body)


def _bigrams(text: str) -> set[str]:
    han = re.sub(f"[^{HAN}]", "", text)
    return {han[i : i + 2] for i in range(len(han) - 1)}


def similarity(a: str, b: str) -> float:
    """Share of character pairs two texts have in common (overlap coefficient)."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _is_caption_block(block: Block) -> bool:
    """A body paragraph that ends in a photo credit: … 记者 马俊杰 摄."""
    text = block.text
    return block.kind == "body" and has_credit(text) and "图片由" not in text[-30:]


def split_articles(blocks: list[Block]) -> list[Draft]:
    """Assemble drafts of articles from a page's blocks, in page order."""
    drafts: list[Draft] = []
    orphans: list[tuple[int, list[Block]]] = []  # (index of draft before, heading group)
    cur = Draft()

    def flush() -> None:
        nonlocal cur
        if cur.body or cur.title_blocks or cur.byline_blocks:
            drafts.append(cur)
        cur = Draft()

    i = 0
    n = len(blocks)
    while i < n:
        block = blocks[i]
        if block.kind == "heading":
            group, j = _heading_group(blocks, i)
            role = _heading_role(blocks, group, j, cur)
            if role == "subhead":
                cur.body.extend(group)
            elif role == "orphan":
                if cur.body or cur.title_blocks:
                    flush()
                orphans.append((len(drafts) - 1, group))
            else:  # title of the next article
                if cur.has_body or cur.title_blocks:
                    flush()
                cur.title_blocks = group
            i = j
            continue
        if block.kind == "continued_from":
            flush()
            cur.kind = "continuation"
            cur.body.append(block)
        elif block.kind == "lead":
            if cur.has_body:
                flush()
            cur.body.append(block)
        elif block.kind == "byline":
            boxed = block.text.startswith("□")
            if cur.has_body and (boxed or _starts_article(blocks, i + 1)):
                flush()
                cur.byline_blocks.append(block)
            elif cur.has_body:
                drafts.extend(_close_with_credit(cur, block))
                cur = Draft()
            else:
                cur.byline_blocks.append(block)
        elif block.kind == "credit":
            if cur.has_body:
                drafts.extend(_close_with_credit(cur, block))
                cur = Draft()
            else:
                cur.credits.append(block)
                cur.closed = True
        elif block.kind == "signature":
            cur.signature.extend(block.text.strip("()（）").split())
            cur.credits.append(block)
            cur.closed = True
        else:  # body
            if cur.closed:
                flush()
            if _is_caption_block(block) and _caption_text_is_sentence(block.text):
                body_len = sum(len(b.text) for b in cur.body) + len(block.text)
                if not cur.title_blocks and not _has_lead(cur) and body_len <= CAPTION_MAX:
                    cur.kind = "caption"  # the short untitled text before it is the caption
                    cur.body.append(block)
                    cur.closed = True
                    flush()
                    i += 1
                    continue
                if cur.has_body and not _sole_body_of_titled(cur):
                    flush()
                    cur.kind = "caption"
                    cur.body.append(block)
                    cur.closed = True
                    flush()
                    i += 1
                    continue
            cur.body.append(block)
            tail = SIGNATURE_RE.search(block.text)
            if tail and PARAGRAPH_END.search(block.text[: tail.start()]) and all(
                is_name(x) for x in tail.group("names").split()
            ):
                cur.signature.extend(tail.group("names").split())
                cur.closed = True
            if block.lines[-1].continued_to:
                cur.closed = True
        i += 1
    flush()
    _attach_orphans(drafts, orphans)
    return drafts


def _heading_group(blocks: list[Block], i: int) -> tuple[list[Block], int]:
    """Consecutive heading blocks from i; a marked ## headline takes only ### after it."""
    group = [blocks[i]]
    j = i + 1
    while j < len(blocks) and blocks[j].kind == "heading":
        first, nxt = group[0].level, blocks[j].level
        if first and nxt and nxt <= first:
            break  # a second marked headline of the same rank starts another group
        if first and not nxt:
            break
        group.append(blocks[j])
        j += 1
    return group, j


def _next_content(blocks: list[Block], j: int) -> Block | None:
    """The first block from j that is not a byline."""
    while j < len(blocks) and blocks[j].kind == "byline":
        j += 1
    return blocks[j] if j < len(blocks) else None


def _heading_role(blocks: list[Block], group: list[Block], j: int, cur: Draft) -> str:
    """title (of what follows) | subhead (inside the current article) | orphan."""
    level = group[0].level
    if level >= 3 and cur.has_body:
        return "subhead"
    followed_by_byline = j < len(blocks) and blocks[j].kind == "byline"
    nxt = _next_content(blocks, j)
    if nxt is None or nxt.kind == "continued_from" or nxt.kind == "credit":
        return "orphan"
    if nxt.kind == "heading":
        return "title" if followed_by_byline else "orphan"
    if not followed_by_byline and not level and _caption_follows(blocks, j):
        return "orphan"
    if nxt.kind == "lead" or followed_by_byline or level:
        return "title"
    if not cur.has_body or cur.closed:
        return "title"
    before = "".join(b.text for b in cur.body[-3:])[-300:]
    after = "".join(b.text for b in blocks[j : j + 3] if b.kind == "body")[:300]
    return "title" if similarity(before, after) < TOPIC_SHIFT else "subhead"


def _has_lead(draft: Draft) -> bool:
    return any(b.kind in ("lead", "continued_from") for b in draft.body)


def _caption_follows(blocks: list[Block], j: int) -> bool:
    """Short paragraphs from j ending in a photo credit: a caption, not an article."""
    total = 0
    for block in blocks[j:]:
        if block.kind == "credit":
            return total > 0
        if block.kind != "body":
            return False
        total += len(block.text)
        if total > CAPTION_MAX:
            return False
        if _is_caption_block(block):
            return _caption_text_is_sentence(block.text)
    return False


def _starts_article(blocks: list[Block], j: int) -> bool:
    """Whether a byline at j-1 opens what follows (a headline or a lead after it)."""
    nxt = blocks[j] if j < len(blocks) else None
    return nxt is not None and nxt.kind == "lead"


def _caption_text_is_sentence(text: str) -> bool:
    """A caption article says something (近日，… 。); a bare label (授牌仪式 骆烨 摄) is a
    picture's caption inside its article."""
    return "。" in text


def _sole_body_of_titled(draft: Draft) -> bool:
    body = [b for b in draft.body if b.kind != "heading"]
    return bool(draft.title_blocks) and len(body) <= 1


def _close_with_credit(cur: Draft, credit: Block) -> list[Draft]:
    """A credit after body text closes the article. The paragraph before it is a caption
    of its own unless it is the only paragraph of a titled article."""
    last = cur.body[-1] if cur.body else None
    if (
        last is not None
        and last.kind == "body"
        and len(last.text) <= CAPTION_MAX
        and "。" in last.text
        and not _sole_body_of_titled(cur)
        and len([b for b in cur.body if b.kind != "heading"]) > 1
    ):
        cur.body.pop()
        cur.closed = True
        return [cur, Draft(body=[last], kind="caption", credits=[credit], closed=True)]
    cur.credits.append(credit)
    cur.closed = True
    return [cur]


def _attach_orphans(drafts: list[Draft], orphans: list[tuple[int, list[Block]]]) -> None:
    """Give each headline printed away from its article to the best earlier draft."""
    for before, group in orphans:
        title_text = "".join(b.text for b in group)
        best, best_score = None, 0.0
        for k in range(min(before, len(drafts) - 1), -1, -1):
            draft = drafts[k]
            if draft.title_blocks or draft.kind in ("caption", "continuation"):
                continue
            opening = "".join(b.text for b in draft.body)[:400]
            score = similarity(title_text, opening)
            if score > best_score:
                best, best_score = draft, score
        if best is not None and best_score >= ORPHAN_MATCH:
            best.title_blocks = group


# --- bylines -------------------------------------------------------------------------

_PAREN_AFTER_LEAD = re.compile(r"^\s*[(（](?P<inner>[^()（）]{2,60})[)）]")


def parse_credits(text: str) -> list[Byline]:
    """Persons and roles in a byline or credit: 记者 周鹏 石杰 实习生 戴东琦 …"""
    text = re.sub(r"^□", "", text.strip())
    photo = text.endswith("摄")
    if photo:
        text = text[:-1]
    out: list[Byline] = []
    role = None
    pos = 0
    for m in ROLE_RE.finditer(text):
        if role is not None or m.start() == 0 or pos < m.start():
            out.extend(_names(text[pos : m.start()], role or ("摄影" if photo else "作者")))
        role = m.group().replace("特约", "").replace("见习", "").replace("摄影记者", "摄影")
        pos = m.end()
    out.extend(_names(text[pos:], role or ("摄影" if photo else "作者")))
    return out


def _names(segment: str, role: str) -> list[Byline]:
    segment = re.sub(rf"^.*?(?:日报|本报|报)", "", segment) if "报" in segment else segment
    out = []
    for token in segment.split():
        token = token.strip("·□ ")
        if is_name(token):
            out.append(Byline(token, role))
    return out


def lead_parts(text: str) -> dict[str, str | None] | None:
    """The lead of a paragraph: source, place, date, and the credit in brackets after it."""
    m = LEAD_RE.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    paren = _PAREN_AFTER_LEAD.match(rest)
    end = m.end() + (paren.end() if paren else 0)
    return {
        "lead": text[: m.end()].lstrip("□ "),
        "source": m.group("source"),
        "place": m.group("place") or None,
        "date": m.group("date"),
        "credit": paren.group("inner") if paren else None,
        "end": str(end),
    }


__all__ = ["Draft", "split_articles", "parse_credits", "lead_parts", "similarity"]
