"""Page layout: lines of a PDF-extracted page, what each line is, and paragraph repair.

PDF extraction breaks lines wherever the printed column did (inside sentences, inside
words: 全 / 省), and in narrow columns every dozen characters. A line is joined to the
next unless it ends a paragraph, is a heading, or the next line starts something new
(a lead such as 本报兰州讯, a byline, a continuation marker). Each line is classified
first, because a heading that is not recognised is otherwise glued to the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.ingest.chars import CLOSERS, HAN, PARAGRAPH_END, normalise
from kg.resources import read_list

# --- line patterns (on normalised text) -------------------------------------------------

#: Who sends a lead: 本报, 新华社, or a paper's own name (青海日报).
_SOURCE = rf"(?:本报|新华社|中新社|人民日报|经济日报|光明日报|央视新闻|[{HAN}]{{2,8}}(?:日报|晚报|报))"
#: 本报讯, 本报兰州讯, 本报兰州6月4日讯, 新华社北京11月14日电, 青海日报讯.
LEAD_RE = re.compile(
    rf"^□?\s*(?P<source>{_SOURCE})\s*(?P<place>[{HAN}]{{0,8}}?)\s*"
    rf"(?P<date>(?:\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日)?\s*(?P<kind>讯|电)"
)
#: Roles named in bylines and photo credits.
ROLE_RE = re.compile(r"(?:特约|见习)?(?:记者|通讯员|实习生|摄影记者|摄影|作者)")
#: □本报记者 韩云峰 / 新甘肃·甘肃日报通讯员 乔洁 / 本报记者 张小芳 石杰.
BYLINE_RE = re.compile(
    rf"^□?\s*(?:本报|(?:[{HAN}]{{1,6}}·)?[{HAN}]{{2,8}}(?:日报|报))?\s*"
    rf"(?:特约|见习)?(?:记者|通讯员|实习生|摄影)\s*[{HAN}]{{2,4}}(?:\s+[{HAN}]{{2,4}})*\s*$"
)
#: A photo credit at the end of a line: names (each after white space, with optional
#: roles) ending in 摄, or (图片由…提供). Names must be space-separated so the pattern
#: stays linear on long paragraphs.
_CREDIT_NAME = rf"(?:(?:本报)?(?:记者|通讯员|摄影)\s*)?[{HAN}]{{2,4}}"
CREDIT_RE = re.compile(
    rf"(?:(?:^|(?<=[\s。,，]))(?:{_CREDIT_NAME})(?:\s+{_CREDIT_NAME})*\s*摄"
    rf"|[(（]图片由[^()（）]{{2,30}}提供[)）])$"
)


def has_credit(text: str) -> bool:
    """Whether a line or paragraph ends in a photo credit (only its tail is searched)."""
    return bool(CREDIT_RE.search(text[-60:]))


#: (上接一版) / (接1版) / （上接第一版） at the start of a paragraph.
CONTINUED_FROM_RE = re.compile(r"^[(（](?:上接|接)(?:第)?[一二三四五六七八九十\d]{1,2}版[)）]")
#: (下转第二版) at the end of a paragraph.
CONTINUED_TO_RE = re.compile(r"\s*[(（]下转(?:第)?[一二三四五六七八九十\d]{1,2}版[)）]\s*$")
#: An author's signature closing an article: (宗和), （罗文锋）, (陈旭震).
SIGNATURE_RE = re.compile(rf"[(（](?P<names>[{HAN}]{{2,4}}(?:\s+[{HAN}]{{2,4}})*)[)）]$")
#: Markdown heading markers some extractors leave: #, ##, ###.
MARKER_RE = re.compile(r"^(#{1,6})\s*")

#: Characters a headline never ends with: clause punctuation and function words that
#: need a continuation (的, 和, 在 …). A line ending so is a wrapped body line.
_OPEN_END = set(",、:;(（“‘《—-·") | set("的了和与及在对将把被是为从向以之其并而且或等使让给于由")
#: Characters a headline never starts with (they continue a sentence).
_CLOSED_START = set(",、。;:!?)）”’》") | set(CLOSERS) - set("]")


@dataclass(slots=True)
class Line:
    """One non-empty line of the page: its span in the original text and its kind."""

    start: int  # offsets in the original text, white space stripped
    end: int
    text: str  # normalised, markers removed
    level: int = 0  # markdown heading level (0: none)
    kind: str = "body"  # body | heading | lead | byline | credit | signature | continued_from
    continued_to: bool = False  # ends with (下转第二版)


@dataclass(slots=True)
class Block:
    """A paragraph (joined lines) or a single special line."""

    kind: str
    lines: list[Line] = field(default_factory=list)
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def split_lines(original: str) -> list[Line]:
    """Non-empty lines with their original spans, normalised, markers stripped."""
    lines: list[Line] = []
    pos = 0
    for raw in original.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            text = normalise(stripped)
            level = 0
            marker = MARKER_RE.match(text)
            if marker:
                level = len(marker.group(1))
                start += marker.end()
                text = text[marker.end():]
            if text:
                lines.append(Line(start, start + len(text), text, level))
        pos += len(raw) + 1
    return lines


@cache
def _surnames() -> frozenset[str]:
    return frozenset(read_list("surnames.txt"))


def is_name(token: str) -> bool:
    """A plausible Chinese personal name: 2–4 ideographs starting with a surname."""
    if not 2 <= len(token) <= 4 or not re.fullmatch(f"[{HAN}]+", token):
        return False
    names = _surnames()
    return token[0] in names or (len(token) >= 3 and token[:2] in names)


def is_name_line(text: str) -> bool:
    """A line of one to five names and nothing else: 王柯影 沈晓敏 殷新, 马进航."""
    tokens = text.split()
    return 1 <= len(tokens) <= 5 and all(is_name(t) for t in tokens)


def heading_shape(text: str) -> bool:
    """True when a line could be a headline by its own shape."""
    bare = text.replace(" ", "")
    if not 4 <= len(bare) <= 40:
        return False
    if any(ch in bare for ch in "。!?;；、") or bare[-1] in _OPEN_END or bare[0] in _CLOSED_START:
        return False
    if text.startswith("——"):
        return True
    commas = bare.count(",")
    if commas > 1 or (commas == 1 and max(len(p) for p in bare.split(",")) > 12):
        return False
    # a headline has words, not a bare run of digits and symbols
    return sum(1 for ch in bare if "\u4e00" <= ch <= "\u9fff") >= 3


def classify(lines: list[Line], crosses_word) -> None:
    """Set ``kind`` on every line. ``crosses_word(a, b)`` says whether joining a and b
    would complete a word across the break (then a is a wrapped body line)."""
    for line in lines:
        text = line.text
        if CONTINUED_TO_RE.search(text):
            line.continued_to = True
        if line.level:
            line.kind = "heading"
        elif CONTINUED_FROM_RE.match(text):
            line.kind = "continued_from"
        elif LEAD_RE.match(text):
            line.kind = "lead"
        elif BYLINE_RE.match(text):
            line.kind = "byline"
        elif len(text) <= 40 and has_credit(text) and not PARAGRAPH_END.search(text):
            line.kind = "credit" if _credit_only(text) else "body"
        elif SIGNATURE_RE.fullmatch(text) and all(is_name(n) for n in text[1:-1].split()):
            line.kind = "signature"
    for i, line in enumerate(lines):
        if line.kind != "body" or line.continued_to:
            continue
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_name_line(line.text) and prev is not None and (
            prev.kind == "heading" or (nxt is not None and nxt.kind == "heading")
        ):
            line.kind = "byline"
            continue
        if not heading_shape(line.text) or has_credit(line.text):
            continue  # a line ending in a photo credit is a caption, not a headline
        if _opens_article(lines, i):
            line.kind = "heading"
            continue
        prev_closed = (
            prev is None
            or prev.kind not in ("body", "lead", "continued_from")
            or ends_paragraph(prev)
        )
        if not prev_closed:
            continue
        if nxt is not None and nxt.kind == "body" and crosses_word(line.text, nxt.text):
            continue
        line.kind = "heading"
    # a name line right after a headline that was found only now is a byline
    for i, line in enumerate(lines[1:], start=1):
        if line.kind == "body" and lines[i - 1].kind == "heading" and is_name_line(line.text):
            line.kind = "byline"


def ends_paragraph(line: Line) -> bool:
    """A line after which a new paragraph must start: a stop, (下转第二版), a signature
    such as 。(宗和), or a photo credit."""
    text = line.text
    if line.continued_to or PARAGRAPH_END.search(text) or has_credit(text):
        return True
    sig = SIGNATURE_RE.search(text)
    return bool(sig and PARAGRAPH_END.search(text[: sig.start()]))


def _opens_article(lines: list[Line], i: int) -> bool:
    """A headline-shaped line followed (through at most two more such lines) by a
    byline, a lead or a line of names is a headline wherever it stands."""
    for k in range(i + 1, min(i + 4, len(lines))):
        nxt = lines[k]
        if nxt.kind in ("lead", "byline") or (nxt.kind == "body" and is_name_line(nxt.text)):
            return True
        if _pen_name(lines, k):
            nxt.kind = "byline"
            return True
        if nxt.kind != "body" or not heading_shape(nxt.text):
            return False
    return False


def _pen_name(lines: list[Line], k: int) -> bool:
    """A bare 2–4 character line between a headline and a long paragraph is the
    author's (pen) name: 良言."""
    text = lines[k].text
    after = lines[k + 1] if k + 1 < len(lines) else None
    return (
        bool(re.fullmatch(f"[{HAN}]{{2,4}}", text))
        and after is not None
        and after.kind in ("body", "lead")
        and len(after.text) > 40
    )


def _credit_only(text: str) -> bool:
    """A credit line holds names and roles only (王一 摄), not a caption sentence."""
    head = re.sub(r"摄$", "", text)
    head = ROLE_RE.sub(" ", head.replace("本报", " "))
    return all(is_name(t) for t in head.split()) and bool(head.split())


def blocks(lines: list[Line]) -> list[Block]:
    """Group classified lines into blocks; body lines join until a paragraph ends."""
    out: list[Block] = []
    for line in lines:
        if line.kind in ("body", "lead", "continued_from"):
            last = out[-1] if out else None
            joinable = (
                last is not None
                and last.kind in ("body", "lead", "continued_from")
                and line.kind == "body"
                and not last.lines[-1].continued_to
                and not ends_paragraph(last.lines[-1])
            )
            if joinable:
                last.lines.append(line)
            else:
                out.append(Block(line.kind, [line]))
        else:
            out.append(Block(line.kind, [line], level=line.level))
    return out
