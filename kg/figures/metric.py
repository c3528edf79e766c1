"""The metric of a figure: the phrase its number measures (参保人数, 参保率, 追回医保基金).

Chinese statistics put the metric right before the number (参保人数2443.33万人,
签约金额643.23亿元, 追回医保基金8700.33万元) or, for counts, the counted thing right
after the classifier (新增1.32万个停车位, 集聚近2500家国家级高新技术企业). Both are
found inside the figure's clause only: the text between the previous separator (，；。：
and 、 after an earlier figure) or the previous figure, and the number.

Why jieba: the words before a number run together without separators (累计成功办理新参保
登记业务, 涉及调价金额, 京津冀净流入资金), and the metric must start and stop at word
boundaries: a character rule cannot tell that 办理 is one word, or that 从 in 从京津冀 is a
preposition and 共 in 贫困村共研究 is an adverb. ``jieba.posseg`` gives the boundaries and a
part of speech that marks where the noun phrase starts (a preposition, pronoun, adverb,
particle, number or time word stops it) and which word is the verb taking it as object
(追回 in 追回医保基金). Its tags are noisy for verbs used as modifiers (参保 in 参保人数
is tagged v, and so is 率), so a verb only counts as the phrase's verb when what follows
it is more than a bare metric head (``metric_heads.txt``: 人数, 率, 金额 …), and one-
character verbs and level words (可支配收入, 人均, 新增) stay inside the phrase: 参保人数
is one metric, 追回医保基金 is verb + object. The whole left context is tagged at once
(a cut-off segment tags differently: 占比 becomes 占 / 比). The private
``jieba.Tokenizer`` shared with the entity components (``kg.nlp.words``) keeps the
module-global one untouched (other code may load user dictionaries into it), and its cuts
are cached per segment, so a clause already cut for an entity is not cut again.

``metric_norm`` drops the verb and the qualifiers: 追回医保基金 → 医保基金.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.figures.numbers import QUALIFIERS
from kg.nlp.words import segmenter
from kg.resources import read_list

#: Hard clause separators: a metric never crosses them.
CLAUSE_SEPARATORS = "，,；;。：:！？!?\n"
#: Longest metric kept, in characters (cut at a word boundary from the number outward).
MAX_METRIC = 20
#: Parts of speech that may be part of a metric noun phrase (jieba's ICTCLAS tags);
#: anything else (p, r, c, u, d, t, m, x …) ends the phrase.
_NOMINAL = (
    "n", "vn", "an", "j", "b", "l", "eng", "nz", "nt", "ns", "nr", "ng", "a", "i", "k",
)  # fmt: skip
#: Words that end a phrase whatever jieba tags them (共 is tagged n in 共研究).
_STOP_WORDS = frozenset(
    "共 均 各 等 和 及 与 并 或 都 也 还 又 就 再 已 仅 将 把 被 给 向 由 从 在 对 为 于 以 "
    "其中 其 该 此 这 那 同时 此外 另外 据悉 据了解 截至 目前 累计 共计 合计 总计 已经 分别 "
    "通过 经过 按照 根据 围绕 其他 所有 全部 一共 先后 持续 不断 进一步 成功 实现 达到 达 "
    "为了 以及 还有 均为 全年 今年 去年 当年 同比 环比 比 较 了 着 过 的".split()
)  # fmt: skip
#: Words stripped from the end of the left context before the walk (besides the
#: figure's own qualifier): particles and level words between metric and number.
_TRAILING = (
    "的", "了", "达", "为", "约", "近", "超", "逾", "共", "共有", "有", "是", "就有",
    "已达", "达到", "分别为", "分别", "均", "都", "总计", "合计", "累计", "已", "持续",
    "稳定在", "保持在", "由", "从", "在", "占", "平均", "人均", "月均", "年均",
)  # fmt: skip
#: Verbs that open a share: 占总投资的88.77% measures 占总投资.
_SHARE = re.compile(r"占(?:到|据)?")
#: Characters opening and closing quotations and brackets.
_QUOTES = "“”‘’\"'「」『』"
_OPEN_PAREN, _CLOSE_PAREN = "(（[【", ")）]】"


@lru_cache(maxsize=4096)
def tag(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, word, flag) of every word of ``text``."""
    return tuple(segmenter().tag(text))


@cache
def metric_heads() -> tuple[str, ...]:
    """Head words of metric phrases (metric_heads.txt), longest first."""
    return tuple(sorted(read_list("metric_heads.txt"), key=len, reverse=True))


def ends_with_head(text: str) -> bool:
    """Whether ``text`` ends in a metric head (参保人数, 参保率, 签约金额)."""
    return text.endswith(metric_heads())


@dataclass(frozen=True, slots=True)
class MetricPhrase:
    """A metric found for a figure; ``start``/``end`` index the sentence."""

    text: str
    norm: str
    start: int
    end: int
    verb: str | None = None
    after: bool = False  # the counted thing after the number (1.32万个停车位)


def _nominal(word: str, flag: str) -> bool:
    if word in _STOP_WORDS:
        return False
    if all(c in _QUOTES for c in word):
        return True
    return flag.startswith(_NOMINAL) or flag in ("f", "s", "g", "h")


def _is_verb(flag: str) -> bool:
    return flag.startswith("v") and flag != "vn"


def _blocked(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in spans)


#: Any bracket, found by a regex: most clauses have none.
_PAREN = re.compile(f"[{re.escape(_OPEN_PAREN + _CLOSE_PAREN)}]")


def _strip_parens(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed asides ((45000人), （街道）) inside ``text``."""
    spans, depth, open_at = [], 0, 0
    for m in _PAREN.finditer(text):
        i, ch = m.start(), m.group()
        if ch in _OPEN_PAREN:
            if depth == 0:
                open_at = i
            depth += 1
        elif ch in _CLOSE_PAREN and depth:
            depth -= 1
            if depth == 0:
                spans.append((open_at, i + 1))
    return spans


def _strip_tail(text: str, start: int, end: int, qualifier: str | None,
                blocked: list[tuple[int, int]]) -> int:
    """New end after dropping the qualifier, particles, times and places at the end.

    A particle is dropped only as a whole word (均 in 平均 stays).
    """
    changed = True
    while changed and end > start:
        changed = False
        seg = text[start:end]
        if qualifier and seg.endswith(qualifier):
            end -= len(qualifier)
            qualifier = None
            changed = True
            continue
        for s, e in blocked:
            if e == end and s >= start:
                end = s
                changed = True
                break
        if changed:
            continue
        words = segmenter().words(seg)  # cut only if a trailing word is there
        for word in _TRAILING_LONGEST:
            if seg.endswith(word) and words.is_bound(len(seg) - len(word)):
                end -= len(word)
                changed = True
                break
        if changed:
            continue
        if seg[-1:] in " \t、":
            end -= 1
            changed = True
    return end


_TRAILING_LONGEST = tuple(sorted(_TRAILING, key=len, reverse=True))
_OPENING, _CLOSING = "“‘「『", "”’」』"

Token = tuple[int, int, str, str]


def _tokens(text: str, start: int, end: int,
            hidden: list[tuple[int, int]] | None = None) -> list[Token]:
    """Words of ``text[start:end]`` with page offsets; bracketed asides (``hidden``)
    left out, and a closed quotation (“两定”) kept as one name-like word."""
    seg = text[start:end]
    if hidden:
        seg = "".join(
            "\u3000" if any(s <= i < e for s, e in hidden) else text[i]
            for i in range(start, end)
        )
    out: list[Token] = []
    quote: list[Token] = []
    for s, e, w, f in tag(seg):
        if not w.strip("\u3000"):
            continue
        tok = (start + s, start + e, w, f)
        if quote:
            quote.append(tok)
            if w in _CLOSING:
                out.append((quote[0][0], tok[1], "".join(t[2] for t in quote), "nz"))
                quote = []
            continue
        if w in _OPENING:
            quote = [tok]
            continue
        out.append(tok)
    out.extend(quote)  # an unclosed quotation: its words as they are
    return out


def _length(tokens: list[Token]) -> int:
    return sum(len(t[2]) for t in tokens)


def _walk_left(text: str, start: int, end: int, blocked: list[tuple[int, int]],
               context_end: int | None = None) -> MetricPhrase | None:
    """The noun phrase (with its verb) ending at ``end``, not before ``start``.

    Words are cut from ``text[start:context_end]`` (the whole left context, so the
    segmentation does not change with what was stripped: 占比 stays one word).
    """
    if end <= start:
        return None
    context_end = max(end, context_end or end)
    parens = [(start + s, start + e) for s, e in _strip_parens(text[start:context_end])]
    tokens = [t for t in _tokens(text, start, context_end, parens) if t[1] <= end]
    collected: list[Token] = []
    verb: Token | None = None
    for tok in reversed(tokens):
        s, e, word, flag = tok
        if _blocked(s, e, blocked):
            break
        if collected and _length(collected) + len(word) > MAX_METRIC:
            break
        if word in QUALIFIERS and QUALIFIERS[word] is None and word not in _STOP_WORDS:
            collected.append(tok)  # 新增, 人均, 平均: level words belong to the metric
            continue
        if _is_verb(flag) and word not in _STOP_WORDS:
            phrase = "".join(t[2] for t in reversed(collected))
            head_only = len(collected) == 1 and ends_with_head(phrase)
            # a one-character verb is a bound morpheme here (可支配收入)
            if not collected or head_only or len(word) == 1:
                collected.append(tok)
                continue
            verb = tok
            break
        if flag == "q" and collected:  # 福利类项目: a classifier inside a compound
            collected.append(tok)
            continue
        if flag == "m" and collected and collected[-1][3] == "eng" \
                and collected[-1][0] == e:
            collected.append(tok)  # 5G基站
            continue
        if not _nominal(word, flag):
            break
        collected.append(tok)
    # a phrase does not start with a locative or a classifier
    while collected and collected[-1][3] in ("f", "q"):
        collected.pop()
    if not collected:
        if verb is None:
            return None
        return MetricPhrase(verb[2], verb[2], verb[0], verb[1], verb[2])
    collected.reverse()
    m_start = collected[0][0] if verb is None else verb[0]
    m_end = collected[-1][1]
    surface = _clean(text[m_start:m_end], parens, m_start)
    norm = _clean(text[collected[0][0]:m_end], parens, collected[0][0])
    return MetricPhrase(surface, norm, m_start, m_end, verb[2] if verb else None)


def _clean(text: str, parens: list[tuple[int, int]], offset: int) -> str:
    """``text`` without bracketed asides (given as absolute spans) and spaces."""
    if not parens:
        return "".join(text.split())
    out = [
        ch for i, ch in enumerate(text, start=offset)
        if not any(s <= i < e for s, e in parens) and not ch.isspace()
    ]  # fmt: skip
    return "".join(out)


def _only_verb(phrase: MetricPhrase | None) -> bool:
    return phrase is not None and phrase.verb is not None and phrase.text == phrase.verb


def _is_noun(flag: str) -> bool:
    return flag.startswith("n") and flag != "vn" or flag in ("j", "eng")


def _walk_right(text: str, start: int, end: int, blocked: list[tuple[int, int]],
                clause_end: bool = False) -> MetricPhrase | None:
    """The counted noun phrase after a classifier: 个停车位, 名毕业生, 的T3航站楼.

    The phrase is the run of nouns after the classifier (14名行业专家参与检查 →
    行业专家); a verb may open it (29个帮扶项目 → 帮扶项目) but not continue it
    (127家单位参加… → 单位); a relative clause with 的 is taken whole
    (21名患大病的困难职工家庭). ``clause_end`` (``end`` is a separator, not the next
    figure) lets a lone word of any tag up to it be the phrase (两条跑道、: jieba's
    dictionary tags 跑道 as a verb).
    """
    if end <= start:
        return None
    tokens = _tokens(text, start, end)
    if tokens and tokens[0][2] == "的":
        tokens = tokens[1:]
    cut = next((k for k, t in enumerate(tokens) if _blocked(t[0], t[1], blocked)), None)
    if cut is not None:
        tokens, clause_end = tokens[:cut], False
    if not tokens:
        return None
    nouns: list[Token] = []
    for tok in tokens:
        if not _nominal(tok[2], tok[3]) or _length(nouns) + len(tok[2]) > MAX_METRIC:
            break
        nouns.append(tok)
    while nouns and nouns[-1][3] == "f" and len(nouns) > 1:
        nouns.pop()
    phrase: list[Token] = nouns
    if not nouns and _is_verb(tokens[0][3]):
        opened = [tokens[0]]
        for tok in tokens[1:]:
            if not _nominal(tok[2], tok[3]):
                break
            opened.append(tok)
        if len(opened) > 1 and _is_noun(opened[-1][3]):
            phrase = opened
        elif len(tokens) == 1 and clause_end and len(tokens[0][2]) >= 2 \
                and tokens[0][2] not in _STOP_WORDS:
            phrase = tokens  # 两条跑道、: one word up to the separator (jieba tags it v)
    if not phrase:
        # a relative clause: 21名患大病的困难职工家庭
        seg = text[tokens[0][0] : end]
        de = seg.find("的", 1, 9)
        if de > 0:
            inner = _walk_right(text, tokens[0][0] + de, end, blocked)
            if inner is not None:
                surface = text[tokens[0][0] : inner.end]
                return MetricPhrase(surface, inner.norm, tokens[0][0], inner.end,
                                    after=True)
        return None
    m_start, m_end = phrase[0][0], phrase[-1][1]
    surface = text[m_start:m_end]
    return MetricPhrase(surface, surface, m_start, m_end, after=True)


def find_metric(text: str, q_start: int, q_end: int, left: int, right: int,
                qualifier: str | None = None, classifier: bool = False,
                blocked: list[tuple[int, int]] | None = None,
                clause_end: bool = False) -> MetricPhrase | None:
    """The metric of the figure at ``text[q_start:q_end]``.

    ``left``/``right`` bound the figure's clause (the previous separator or figure,
    the next); ``qualifier`` is the word right before the number (达, 同比增长), which
    is not part of the metric; ``classifier`` says the unit counts things (个, 家, 名),
    so a noun right after it is what is counted; ``blocked`` spans (times, places)
    stop a phrase; ``clause_end`` says ``right`` is a separator (not the next figure).
    Returns None when the clause names nothing.
    """
    blocked = blocked or []
    end = _strip_tail(text, left, q_start, qualifier, blocked)
    before = _walk_left(text, left, end, blocked, q_start)
    share = _SHARE.search(text, left, end)
    if before is not None and share is not None and share.start() < before.start:
        gap = text[share.end():before.start]
        if all(_blocked(i, i + 1, blocked) or ch in "的 "
               for i, ch in enumerate(gap, share.end())):
            surface = text[share.start():before.end]
            surface = "".join(ch for ch in surface if not ch.isspace())
            before = MetricPhrase(surface, before.norm, share.start(), before.end,
                                  share.group())
    attributive = text[q_end : q_end + 1] == "的"  # 40万平方米的T3航站楼
    after = (
        _walk_right(text, q_end, right, blocked, clause_end)
        if classifier or attributive else None
    )  # fmt: skip
    if after is None:
        return before
    if before is None or _only_verb(before):
        return after
    if classifier and not ends_with_head(before.norm):
        return after
    return before
