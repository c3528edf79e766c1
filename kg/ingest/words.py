"""A word test across a line break, from jieba's dictionary.

Used only by line repair: when a short line could be a headline, the break after it is
real only if no dictionary word runs across it (第三 / 产业 is one word, 第三产业, so
the line is a wrapped body line). A private ``jieba.Tokenizer`` keeps the global one
untouched.
"""

from __future__ import annotations

import logging
from functools import cache

#: Minimum dictionary frequency for a word to count (jieba keeps prefixes at 0).
MIN_FREQ = 20


@cache
def _freq() -> dict[str, int]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ


def crosses_word(left: str, right: str) -> bool:
    """True when a word of two or more characters spans the end of ``left`` and the
    start of ``right``."""
    tail, head = left[-3:], right[:3]
    freq = _freq()
    for i in range(len(tail)):
        for j in range(1, len(head) + 1):
            word = tail[i:] + head[:j]
            if len(word) >= 2 and freq.get(word, 0) >= MIN_FREQ:
                return True
    return False
