"""Sentences of an article body, with offsets into the page text."""

from __future__ import annotations

import re

from kg.ingest.chars import SENTENCE_END
from kg.types import Sentence

#: A sentence ends at a stop (。！？) with any closing marks after it, or at a line end.
_SENTENCE_END = re.compile(rf"{SENTENCE_END.pattern}|\n")


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences; white space around them is trimmed."""
    out: list[Sentence] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        _add(out, text, pos, m.end())
        pos = m.end()
    _add(out, text, pos, end)
    return out


def _add(out: list[Sentence], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append(Sentence(len(out), a, b, text[a:b]))
