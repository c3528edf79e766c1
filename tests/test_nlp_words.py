"""kg.nlp.words: jieba's words cut segment by segment are those of a whole-text cut."""

from __future__ import annotations

import pytest

from kg.nlp.words import Segmenter, segmenter, viterbi


@pytest.fixture(scope="module")
def seed_texts(seed_pages) -> list[str]:
    return [a.body for page in seed_pages.values() for a in page.articles][:12]


def _full_cut(seg: Segmenter, text: str) -> list[tuple[int, int, str, str]]:
    """jieba's own POS cut (its Viterbi) of the whole text, over the same dictionary."""
    import jieba.posseg as pseg

    out, pos = [], 0
    for pair in pseg.POSTokenizer(seg.pos.tokenizer).cut(text):
        out.append((pos, pos + len(pair.word), pair.word, pair.flag))
        pos += len(pair.word)
    return out


def _plain_bounds(seg: Segmenter, text: str) -> set[int]:
    bounds, pos = {0}, 0
    for word in seg.pos.tokenizer.cut(text):
        pos += len(word)
        bounds.add(pos)
    return bounds


def test_words_tag_equals_a_whole_text_cut(seed_texts):
    seg = segmenter()
    for text in seed_texts:
        assert seg.tag(text) == _full_cut(seg, text)


def test_words_windows_and_positions_equal_a_whole_text_cut(seed_texts):
    seg = segmenter()
    for text in seed_texts:
        full = _full_cut(seg, text)
        ends = {t[1]: t for t in full}
        starts = {t[0]: t for t in full}
        plain = _plain_bounds(seg, text)
        words = seg.words(text)
        for pos in range(0, len(text) + 1, 7):
            window = words.tokens(pos, pos + 20)
            assert window == [t for t in full if window[0][0] <= t[0] < window[-1][1]]
            assert window[0][0] <= pos
            assert words.ending_at(pos) == ends.get(pos)
            assert words.is_bound(pos) == (pos == 0 or pos in ends)
            assert words.is_plain_bound(pos) == (pos in plain)
            tok = starts.get(pos)
            if tok is not None:
                assert words.token(tok[0], tok[1]) == tok
                assert words.token(tok[0], tok[1] + 1) is None


def test_words_private_dictionary_words():
    """Words added to one segmenter are its own: the shared one does not see them."""
    own = Segmenter([("长期护理保险", "nz")])
    assert "长期护理保险" in [t[2] for t in own.tag("建立长期护理保险制度")]
    assert own.tags["长期护理保险"] == "nz"
    assert "长期护理保险" not in segmenter().tags


def test_words_viterbi_equals_jiebas(seed_texts):
    import re

    from jieba.posseg.char_state_tab import P as STATES
    from jieba.posseg.prob_emit import P as EMIT
    from jieba.posseg.prob_start import P as START
    from jieba.posseg.prob_trans import P as TRANS
    from jieba.posseg.viterbi import viterbi as jieba_viterbi

    runs = [r for text in seed_texts for r in re.findall("[\u4e00-\u9fd5]+", text)]
    pieces = {
        r[i : i + k] for r in runs for i in range(0, len(r), 3) for k in (2, 4, 6)
    }
    pieces |= {"\u9fa0\u4e00", "镕镕"}  # a character the model never saw
    for obs in sorted(pieces)[:2000]:
        assert viterbi(obs) == jieba_viterbi(obs, STATES, START, TRANS, EMIT), obs
