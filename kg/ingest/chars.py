"""Character classes and the one-to-one character normalisation of page text.

Normalisation never changes the length of a line, so offsets survive it: full-width
ASCII becomes ASCII (，→, ０→0 Ａ→A), ideographic and no-break spaces become spaces, and
traditional characters become simplified ones (可謂 → 可谓) through OpenCC's table.
"""

from __future__ import annotations

import re
from functools import cache

from kg.resources import read_table

#: Sentence-final punctuation (after normalisation, so ! and ? are ASCII).
STOPS = "。!?！？"
#: Marks that close a quotation or bracket and may follow a sentence stop.
CLOSERS = "”’」』》)）]】〕"
_CLOSERS_CLASS = f"[{re.escape(CLOSERS)}]"
#: Marks that may end a paragraph: a stop, optionally followed by closers, or an ellipsis.
PARAGRAPH_END = re.compile(rf"[{STOPS};；…]{_CLOSERS_CLASS}*$")
#: The end of a sentence: stops with any closing marks after them.
SENTENCE_END = re.compile(rf"[{STOPS}]+{_CLOSERS_CLASS}*")
#: A CJK unified ideograph (the basic block and extension A).
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HAN_RE = re.compile(f"[{HAN}]")


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table[0x00A0] = " "
    table[0xFE6A] = "%"  # small percent sign
    for row in read_table("t2s_chars.tsv"):
        table[ord(row["traditional"])] = row["simplified"]
    return table


def normalise(text: str) -> str:
    """Map each character to its normal form; the result has the same length."""
    return text.translate(_table())


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    return bool(HAN_RE.match(ch))
