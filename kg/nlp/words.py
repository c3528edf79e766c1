"""jieba's words, cut only where a rule asks and cut once per segment.

Why windows are exact: jieba splits a text into segments (runs of Han characters,
letters and digits, and the runs of other characters between them) and cuts each segment
on its own (dictionary DAG, best route, HMM for unknown runs); no word crosses one.
So the words of a text are the concatenation of the words of its segments, and a rule
that needs the words near one position only has to cut the segments there. Segments are
short clauses (punctuation ends them), so a component asking about a few positions cuts
a small part of the text, and the HMM with POS (a pure-Python Viterbi over ~256 states,
five times slower than a plain cut) runs only there.

The HMM with POS is jieba's own model and decoding, with a faster exact Viterbi
(``viterbi``): it scores each state only from the states that can precede it, where
jieba's scores every pair of states (a pair with no transition scores -inf and never
wins), and breaks ties as jieba does; 6 times faster on the seed pages' unknown runs.
The dictionary route (``Tokenizer.get_DAG`` then ``calc``) is computed in one pass with
the same scores, and the HMM runs only on the run of unknown characters asked about
(it never looks beyond its run).

Each ``Segmenter`` wraps a *private* ``jieba.Tokenizer`` (the module-global one is never
touched: ``add_word`` on it would change every other component's words) and caches the
words per segment string, so components that share one (regions, agencies, persons,
figures) never cut a segment twice.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from math import log
from typing import TYPE_CHECKING

import jieba.posseg as pseg
from jieba.posseg.char_state_tab import P as _STATES
from jieba.posseg.prob_emit import P as _EMIT
from jieba.posseg.prob_start import P as _START
from jieba.posseg.prob_trans import P as _TRANS

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: (start, end, word, tag): one word with its offsets in the text it was cut from.
Token = tuple[int, int, str, str]
#: (start, end, words) of a segment's part: its words with tags, or None where the HMM
#: re-cuts a run of single characters.
Piece = tuple[int, int, tuple[tuple[str, str], ...] | None]

#: jieba.posseg's segments (re_han_internal); the plain cut also takes % and -.
_POS_SEGMENT = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._]+)")
_PLAIN_SEGMENT = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
#: Segments cached per segmenter (a segment is a clause). Components ask about the same
#: segments of a page many times; across pages few recur. 4,096 segments hit 93.8% of
#: lookups over 1,500 shuffled pages (65,536: 94.5%) and hold ~20 MB when full, where
#: 65,536 grew a worker by ~4 KB a segment all through a long build (2026-11-23).
CACHE_SIZE = 1 << 12
#: jieba's score of an emission its model has not seen.
_MIN_FLOAT = -3.14e100
#: For each POS-HMM state, the states that can precede it, with the transition's score.
_PRED: dict[tuple[str, str], dict[tuple[str, str], float]] = {}
for _from, _to in _TRANS.items():
    for _state, _score in _to.items():
        _PRED.setdefault(_state, {})[_from] = _score


#: jieba's states of each character, each once.
_CHAR_STATES = {ch: tuple(set(states)) for ch, states in _STATES.items()}


def viterbi(obs: str) -> tuple[float, list[tuple[str, str]]]:
    """``jieba.posseg.viterbi.viterbi(obs, char_state_tab, start, trans, emit)``, the
    same result: the best (position, tag) state per character and its score.

    jieba scores every state of a character from every state of the one before; a pair
    without a transition scores -inf and never wins, so only the pairs with one are
    scored here (from whichever side is smaller). The states a character may take are
    those of jieba's table that some state before can reach, else every state reachable
    (jieba's fallback); ties go to the larger state, as jieba's max() over tuples."""
    all_states = tuple(_TRANS)
    score: dict[tuple[str, str], float] = {}
    for y in _STATES.get(obs[0], all_states):
        score[y] = _START[y] + _EMIT[y].get(obs[0], _MIN_FLOAT)
    back: list[dict[tuple[str, str], tuple[str, str]]] = []
    for ch in obs[1:]:
        new: dict[tuple[str, str], float] = {}
        came: dict[tuple[str, str], tuple[str, str]] = {}
        for candidates in (_CHAR_STATES.get(ch, all_states), None):
            if candidates is None:  # no state of the table is reachable
                reachable: set[tuple[str, str]] = set()
                for x in score:
                    reachable.update(_TRANS[x])
                candidates = reachable or all_states
            for y in candidates:
                pred = _PRED.get(y)
                if not pred:
                    continue
                emit = _EMIT[y].get(ch, _MIN_FLOAT)
                best = arg = None
                # the same loop from the smaller side (the hot loop: no helper call)
                if len(score) < len(pred):
                    for y0, prev in score.items():
                        trans = pred.get(y0)
                        if trans is None:
                            continue
                        value = prev + trans + emit  # jieba's order of additions
                        if best is None or value > best or (value == best and y0 > arg):
                            best, arg = value, y0  # ties: the larger state, as max()
                else:
                    for y0, trans in pred.items():
                        prev = score.get(y0)
                        if prev is None:
                            continue
                        value = prev + trans + emit
                        if best is None or value > best or (value == best and y0 > arg):
                            best, arg = value, y0
                if best is not None:
                    new[y], came[y] = best, arg
            if new:
                break
        score = new
        back.append(came)
    prob, state = max((value, y) for y, value in score.items())
    route = [state]
    for came in reversed(back):
        state = came[state]
        route.append(state)
    route.reverse()
    return prob, route


class _POSTokenizer(pseg.POSTokenizer):
    """jieba's POS tokenizer with the faster exact ``viterbi`` for unknown runs (the one
    method jieba's HMM cut calls it from, ``POSTokenizer.__cut``, is replaced)."""

    def _POSTokenizer__cut(self, sentence: str):  # noqa: N802  (jieba's private name)
        _, pos_list = viterbi(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i][0]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield pseg.pair(sentence[begin : i + 1], pos_list[i][1])
                nexti = i + 1
            elif pos == "S":
                yield pseg.pair(char, pos_list[i][1])
                nexti = i + 1
        if nexti < len(sentence):
            yield pseg.pair(sentence[nexti:], pos_list[nexti][1])


class Segmenter:
    """A private jieba tokenizer with POS, its dictionary, and segment-cached cuts
    (with the HMM, as ``POSTokenizer.cut`` and ``Tokenizer.cut`` do by default)."""

    def __init__(self, words: Iterable[tuple[str, str]] = ()) -> None:
        """``words``: (word, tag) pairs added to this tokenizer's dictionary."""
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word, tag in words:
            tokenizer.add_word(word, freq=None, tag=tag)
        self.pos = _POSTokenizer(tokenizer)
        self.pos.makesure_userdict_loaded()
        self.freq: dict[str, int] = tokenizer.FREQ
        self.tags: dict[str, str] = self.pos.word_tag_tab
        self.pieces = lru_cache(maxsize=CACHE_SIZE)(self._pieces)
        self.hmm = lru_cache(maxsize=CACHE_SIZE)(self._hmm)
        self.plain_segment = lru_cache(maxsize=CACHE_SIZE)(self._plain_segment)

    def _pieces(self, segment: str) -> tuple[Piece, ...]:
        """``POSTokenizer.__cut_DAG`` of one segment up to its HMM: the dictionary's
        route, with each run of single characters that the HMM re-cuts left open (None);
        ``hmm`` cuts such a run when it is asked about. Text between segments is cut as
        jieba does (one word per character, no HMM)."""
        if not _POS_SEGMENT.fullmatch(segment):
            return (
                (
                    0,
                    len(segment),
                    tuple((p.word, p.flag) for p in self.pos.cut(segment)),
                ),
            )
        tags = self.tags
        route = self._route(segment)
        out: list[Piece] = []
        x = run = 0
        while x <= len(segment):
            y = route[x] if x < len(segment) else x + 2
            if y - x == 1:
                x = y
                continue
            if run < x:  # the single characters before: one word, an HMM run or chars
                buf = segment[run:x]
                if len(buf) == 1:
                    out.append((run, x, ((buf, tags.get(buf, "x")),)))
                elif not self.freq.get(buf):
                    out.append((run, x, None))
                else:
                    out += [
                        (run + k, run + k + 1, ((ch, tags.get(ch, "x")),))
                        for k, ch in enumerate(buf)
                    ]
            if x < len(segment):
                word = segment[x:y]
                out.append((x, y, ((word, tags.get(word, "x")),)))
            x = run = y
        return tuple(out)

    def _route(self, segment: str) -> list[int]:
        """``Tokenizer.get_DAG`` and ``Tokenizer.calc`` in one pass: where the best
        route's word starting at each character ends (exclusive). The same scores in
        the same order of additions, ties to the longer word as jieba's max()."""
        freq, logtotal = self.freq, log(self.pos.tokenizer.total)
        n = len(segment)
        score = [0.0] * (n + 1)
        ends = [0] * n
        for idx in range(n - 1, -1, -1):
            best = None
            end = idx + 1
            i = idx + 1
            f = freq.get(segment[idx])
            while f is not None:  # jieba keeps every prefix of a word, at 0 if no word
                if f:
                    value = log(f) - logtotal + score[i]
                    if best is None or value >= best:
                        best, end = value, i
                if i >= n:
                    break
                i += 1
                f = freq.get(segment[idx:i])
            if best is None:  # no word here: the character alone
                best = log(freq.get(segment[idx]) or 1) - logtotal + score[idx + 1]
            score[idx], ends[idx] = best, end
        return ends

    def _hmm(self, run: str) -> tuple[tuple[str, str], ...]:
        return tuple((p.word, p.flag) for p in self.pos._POSTokenizer__cut_detail(run))

    def _plain_segment(self, segment: str) -> tuple[str, ...]:
        return tuple(self.pos.tokenizer.cut(segment))

    def tag(self, text: str) -> list[Token]:
        """Every word of ``text`` with its tag: ``POSTokenizer.cut(text)``."""
        return TextWords(self, text).tokens(0, len(text))

    def words(self, text: str) -> TextWords:
        """The lazily cut words of ``text``."""
        return TextWords(self, text)


class TextWords:
    """jieba's words of one text (POS cut, and the plain cut for boundaries), cut where
    a position is asked about: the dictionary route of its segment, and the HMM only for
    the run of unknown characters holding it."""

    def __init__(self, segmenter: Segmenter, text: str) -> None:
        self.segmenter = segmenter
        self.text = text
        self._pos_starts, self._pos = _segments(_POS_SEGMENT, text)
        self._plain_starts, self._plain = _segments(_PLAIN_SEGMENT, text)
        self._pieces: dict[int, tuple[list[int], tuple[Piece, ...]]] = {}
        self._cut: dict[tuple[int, int], list[Token]] = {}
        self._bounds: dict[int, set[int]] = {}

    # -- POS words

    def _segment_pieces(self, k: int) -> tuple[list[int], tuple[Piece, ...]]:
        found = self._pieces.get(k)
        if found is None:
            start, end = self._pos[k]
            pieces = self.segmenter.pieces(self.text[start:end])
            found = self._pieces[k] = ([start + p[0] for p in pieces], pieces)
        return found

    def _at(self, pos: int) -> tuple[int, int]:
        """(segment, piece) holding character ``pos`` (clamped to the text)."""
        k = max(0, bisect.bisect_right(self._pos_starts, pos) - 1)
        starts, _ = self._segment_pieces(k)
        return k, max(0, bisect.bisect_right(starts, pos) - 1)

    def _piece_tokens(self, k: int, i: int) -> list[Token]:
        found = self._cut.get((k, i))
        if found is None:
            base = self._pos[k][0]
            start, end, words = self._segment_pieces(k)[1][i]
            if words is None:
                words = self.segmenter.hmm(self.text[base + start : base + end])
            found = []
            pos = base + start
            for word, flag in words:
                found.append((pos, pos + len(word), word, flag))
                pos += len(word)
            self._cut[(k, i)] = found
        return found

    def tokens(self, start: int, end: int, after: int = 0) -> list[Token]:
        """The words overlapping characters ``start:end`` (whole words, so the first
        starts at or before ``start``), and ``after`` more words or runs after them."""
        if not self._pos:
            return []
        k, i = self._at(start)
        last = self._at(max(start, end - 1))
        out: list[Token] = []
        while True:
            out += self._piece_tokens(k, i)
            if (k, i) >= last:
                if not after:
                    break
                after -= 1
            i += 1
            if i == len(self._segment_pieces(k)[1]):
                k, i = k + 1, 0
                if k == len(self._pos):
                    break
        return out

    def token(self, start: int, end: int) -> Token | None:
        """The word at exactly characters ``start:end``, if jieba cuts one there."""
        if not 0 <= start < end <= len(self.text):
            return None
        for tok in self._piece_tokens(*self._at(start)):
            if tok[0] == start:
                return tok if tok[1] == end else None
        return None

    def ending_at(self, pos: int) -> Token | None:
        """The word ending at ``pos``, if a word ends there."""
        if not 0 < pos <= len(self.text):
            return None
        for tok in self._piece_tokens(*self._at(pos - 1)):
            if tok[1] == pos:
                return tok
        return None

    def is_bound(self, pos: int) -> bool:
        """Whether a POS word starts or ends at ``pos`` (0 and the text's end count).
        The edge of a dictionary word or of a run of unknown characters is one without
        the HMM."""
        if pos == 0 or pos == len(self.text):
            return True
        if not 0 < pos < len(self.text):
            return False
        k = max(0, bisect.bisect_right(self._pos_starts, pos) - 1)
        if self._pos_starts[k] == pos:
            return True  # a segment's edge: no need to cut it
        k, i = self._at(pos)
        if self._segment_pieces(k)[0][i] == pos:
            return True
        return self.ending_at(pos) is not None

    def segment_start(self, pos: int) -> int:
        """Where the segment holding character ``pos`` starts (no word crosses it)."""
        return self._pos_starts[max(0, bisect.bisect_right(self._pos_starts, pos) - 1)]

    # -- plain words (jieba.Tokenizer.cut)

    def is_plain_bound(self, pos: int) -> bool:
        """Whether the plain cut (``Tokenizer.cut``) puts a word boundary at ``pos``."""
        if pos <= 0 or pos >= len(self.text):
            return pos == 0 or pos == len(self.text)
        k = max(0, bisect.bisect_right(self._plain_starts, pos - 1) - 1)
        bounds = self._bounds.get(k)
        if bounds is None:
            start, end = self._plain[k]
            bounds = {start}
            at = start
            for word in self.segmenter.plain_segment(self.text[start:end]):
                at += len(word)
                bounds.add(at)
            self._bounds[k] = bounds
        return pos in bounds


def _segments(
    pattern: re.Pattern[str], text: str
) -> tuple[list[int], list[tuple[int, int]]]:
    """The segments jieba cuts ``text`` into (runs matching ``pattern`` and the runs
    between them), as offsets, with their starts for bisection."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        spans.append((m.start(), m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [s for s, _ in spans], spans


@cache
def segmenter() -> Segmenter:
    """The shared segmenter over jieba's own dictionary (regions, agencies, persons,
    figures, line repair)."""
    return Segmenter()


def doc_words(doc: Doc) -> TextWords:
    """The shared segmenter's words of a doc's text, kept in ``doc.user_data`` so every
    component reuses the segments already cut."""
    from kg.nlp.spans import doc_text

    key = "kg.words"
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = segmenter().words(doc_text(doc))
    return found


def jieba_tokens(doc: Doc) -> list[Token]:
    """jieba's (start, end, word, tag) over the whole doc (``POSTokenizer.cut``), for
    rules that read every word; rules asking about a few positions use ``doc_words``."""
    words = doc_words(doc)
    return words.tokens(0, len(words.text))


def word_freq(word: str) -> int:
    """jieba dictionary frequency of a word (0 when it is not a dictionary word)."""
    return segmenter().freq.get(word) or 0


def word_tag(word: str) -> str | None:
    """jieba dictionary part of speech of a word (None when it is not one)."""
    return segmenter().tags.get(word)
