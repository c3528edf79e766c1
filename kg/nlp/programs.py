"""``kg_programs``: insurance schemes, documents, initiatives and named plans.

No NLP engine has a program class (notes/nlp-engines.md 2.12); programs are found by
four rules over the character text, all driven by ``kg/resources/program_patterns.tsv``:

1. **Schemes and standing programmes** (``scheme``/``program`` rows): a leftmost-longest
   Aho-Corasick match of every canonical name and short form (职工医保 → 职工基本医疗保险, 长护险 →
   长期护理保险, 集采 → 药品和医用耗材集中带量采购). A hit glued to an agency head (乡村振兴|局) is part of an
   agency's name and is skipped.
2. **Documents in 《》** (policy_document): the title without 《》 when it ends in a
   document type (``doctype``: 决定, 意见, 方案, 条例, 规划 …) or starts with 关于; others (《流浪地球》,
   newspapers) are not documents. A year range printed right after the title,
   《…工作方案》(2018—2020年), belongs to it. A bare law title gets its full name (《劳动合同法》 →
   中华人民共和国劳动合同法). A short back-reference that is only a document type (《决定》, 《报告》)
   resolves to the last full title of that type before it in the text or in the
   article's headline; unresolved it is kept as printed. Titles in quoted speech are
   skipped; a 《 left open at the very end of a text (the article breaks off, continued
   elsewhere) is a truncated title.
3. **Initiatives in “”** (campaign_or_initiative unless a head says otherwise). Not
   every quoted phrase is a program. The documented rule: a quoted phrase X is an
   initiative when
   - it is not speech: no sentence punctuation (。！？；…), no comma (two clauses make a
     slogan: “上班没空办,下班没处办”), at most MAX_QUOTED characters;
   - it is a listed name (“一网通办”), or X itself ends in a head (“青苗计划”, “建家建线工程”), or is
     a 、-list of such names (“春风行动、就业援助月” gives two);
   - otherwise it must not be followed by a word that makes it a slogan, a principle or
     a description (``after_reject``: “…”的理念, “…”作用, “…”目标, “…”难题), not be a single
     common word of at most 3 characters (jieba's dictionary knows 面子, 加码, 绣花:
     figurative quotes), not be only digits and signs (“343”, “1+N+X”: these name
     something only together with their head, rule 4), not end in an organisation
     (“青苗党支部”);
   - and one of: it ends in 保 (a 惠民保 insurance product, “青海健康保”; not 医保/参保); a head
     follows the closing quote, possibly after 等 or a count (“潮汐窗口”服务模式, “蓝瓶进万家”等服务活动,
     “青年先锋”三大行动); or a program verb (``verb``: 实施, 开展, 推进, 启动, 上线, 设立, 打造, 建设 …) stands
     at most VERB_GAP characters before it with no 的 between (a noun there is part of
     the name: 建设医保“十分钟服务圈” → 医保十分钟服务圈), or 以“X”为抓手 / 以“X”推动 (not 以“X”为主题: a theme is a
     slogan). One accepted occurrence makes every occurrence of X in the text a mention.
     The canonical name is X without the quotes (全省/全市 at its start become the home
     region); a short head right after it is part of the mention (“潮汐窗口”服务模式).
4. **Named plans without quotes** ending in a head (``head`` rows: …计划, …工程, …行动, …制度,
   …项目, …专项治理, …方案 …): the left edge is found on jieba's words. Word boundaries tell
   全民参保|计划 from 认真实施|全民参保计划 and 按计划; POS tells the function words where a name cannot
   start (prepositions, conjunctions, particles, numerals, adverbs, pronouns). The edge
   stops at punctuation, at a governing verb or function word (``stop``: 实施, 开展, 深入, 健全,
   结合, 是, 在 …, also inside a jieba word such as 深入开展), at a verb right before a quoted
   name (开发“稻虾轮作”…), and after MAX_PHRASE characters. The phrase is rejected when a
   count or a demonstrative stands before it (109个产业合作项目, 该项目, 这一整合行动), when its name
   part is shorter than the head requires (bare:N) or ends in a generic word
   (``generic``: 重点项目, 民心工程, 社会保障制度, 志愿服务活动). Heads that are nearly always generic
   without quotes (机制, 体系, 平台, 模式 …) need a quoted name inside (志愿服务“双报到”机制,
   “1+N+X”政策体系). A phrase ending in a listed name, or a listed name plus its head
   (助推乡村振兴战略, 长期护理保险制度, 全民参保计划) is a mention of that name; an accepted quoted name plus
   its head is a mention of that name. A context word before the name makes it the home
   region's (全省医疗保障扶贫问题整改工作方案 → 甘肃省…; 全国 is kept).

Where rules overlap, a document title wins, then the longer span.

Segmentation: the pipeline's documents are one character per token, so every rule works
on character offsets (a 《》 title or a gazetteer hit need not sit on jieba's words).
jieba is used only for the left edge of rule 4, through a *private* ``jieba.Tokenizer``
(never the module-global functions): the listed names and long heads are added to its
dictionary so that 长期护理保险 or 专项治理 stay whole, and that must not change how any other
component (persons, regions) segments its text. It cuts only the segment where a head ends
and those the left edge walks back into (``kg.nlp.words``: the words are the same as those
of the whole text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ResourceError
from kg.nlp.context import Context
from kg.nlp.spans import add_span, doc_text
from kg.nlp.words import Segmenter, TextWords
from kg.resources import read_table

PATTERNS = "program_patterns.tsv"
LABEL = "PROGRAM"

#: Program kinds of gold/GUIDELINES.md.
KINDS = frozenset({"insurance", "policy_document", "campaign_or_initiative", "project",
                   "other"})
SECTIONS = frozenset({"scheme", "program", "head", "verb", "stop", "generic",
                      "after_reject", "doctype"})

#: Longest quoted initiative (characters, without spaces); longer is a sentence quoted.
MAX_QUOTED = 16
#: Longest named plan found by its head (characters, head included).
MAX_PHRASE = 30
#: Longest 《》 title.
MAX_TITLE = 100
#: Characters allowed between a program verb and the opening quote (建设医保“十分钟服务圈”).
VERB_GAP = 2

_PUNCT = frozenset(",.;:!?()[]，。；：！？、（）【】—…·\n\r\t 《》<>〈〉「」『』/|\"'")
_SPEECH = re.compile(r"[。！？!?；;…]")
_SPACE = re.compile(r"\s+")
_QUOTE = re.compile(r"“([^“”]{1,200})”")
_TITLE = re.compile(r"《([^《》\n]{1,%d})》" % MAX_TITLE)
#: A 《 left open at the very end of a text: an article cut off inside a title.
_TRUNCATED = re.compile(r"《([^《》。！？!?;；\n]{6,%d})\s*$" % MAX_TITLE)
_YEARS = re.compile(r"\s*[(（]\s*\d{4}\s*[—–\-－~～至到]+\s*\d{4}\s*年?\s*[)）]")
_TRAILING_PAREN = re.compile(r"[(（][^()（）]*[)）]\s*$")
_SIGNS_ONLY = re.compile(r"[\dA-Za-z+＋·.\-—_/]+")
_COUNT = re.compile(r"[\d一二三四五六七八九十两百千]+[大项个类条]?")
#: Agency heads: a listed name glued to one is part of an agency name (乡村振兴局).
_AGENCY_TAIL = tuple("局厅委办部司处署")
#: Law titles end in 法, but these words end in 法 without being laws.
_NOT_LAW = ("办法", "方法", "做法", "工作法", "说法", "看法", "想法", "算法", "手法", "书法")
#: jieba POS tags where a name cannot start: prepositions, conjunctions, particles,
#: numerals and measures, pronouns, adverbs, punctuation, interjections, onomatopoeia.
_STOP_POS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr",
                       "rz", "d", "ad", "m", "mq", "q", "x", "y", "e", "o", "zg"})
#: jieba POS tags of time words; they stop a name unless they are a phase (三期).
_TIME = re.compile(r"\d|^[今明去昨前近当本上下同]|季度|年度|月|日$|目前")
#: Quoted phrases ending in these name an organisation, not a program (“青苗党支部”).
_ORG_TAIL = ("党支部", "支部", "党委", "委员会", "公司", "集团", "协会", "学会", "中心", "局")
#: Tokens before a head phrase that make it a counted or anaphoric generic (该项目).
_ANAPHOR = frozenset({"该", "这", "这一", "这些", "此", "其", "各", "各类", "各项", "一批",
                      "一系列", "此次", "本次", "这次", "那些"})
#: Heads that may follow a program's name without making a longer name (助学工程|政策).
_HEAD_OF_PROGRAM = frozenset({"政策"})
#: jieba tags of nouns: a noun between a program verb and a quote belongs to the name.
_NOUN_POS = frozenset({"n", "nz", "j", "vn", "nt"})
#: What follows 以“X” when X is the means of a program (以“医银合作”为抓手).
_MEANS_OF = ("为", "推动", "助推", "带动", "促进", "引领", "撬动")
#: Verbs before a quoted honour or list (入选“中国好人榜”): kind other.
_HONOUR_VERBS = frozenset({"入选"})
#: Two-character words ending in 保 that do not make an insurance product (“智慧医保”).
_NOT_PRODUCT = frozenset({"医保", "参保", "社保", "环保", "确保", "担保", "投保", "低保",
                          "续保", "扩保", "承保", "联保", "劳保"})
#: Context words before a name that stand for the paper's home region (全省… -> 甘肃省…).
_PROVINCE_WORDS = frozenset({"全省", "我省", "本省"})
_CITY_WORDS = frozenset({"全市", "我市", "本市"})


# ------------------------------------------------------------------ resources


@dataclass(frozen=True)
class Head:
    """A word that ends a named plan, and how it may be used."""

    word: str
    kind: str
    mode: str  # bare | quoted | after
    min_name: int = 0  # characters of name before a bare head


@dataclass(frozen=True)
class Lexicon:
    """The rows of program_patterns.tsv, ready for matching."""

    names: dict[str, tuple[str, str]]  # surface -> (canonical, kind): schemes, programs
    heads: dict[str, Head]
    verbs: frozenset[str]
    stops: frozenset[str]
    generic: frozenset[str]
    after_reject: tuple[str, ...]  # longest first
    doctypes: tuple[str, ...]  # longest first

    @cached_property
    def heads_longest_first(self) -> tuple[Head, ...]:
        return tuple(sorted(self.heads.values(), key=lambda h: (-len(h.word), h.word)))


def _split(field: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in field.split("|") if p.strip())


@cache
def load_lexicon() -> Lexicon:
    """program_patterns.tsv, checked: known sections and kinds, no surface twice."""
    names: dict[str, tuple[str, str]] = {}
    heads: dict[str, Head] = {}
    words: dict[str, set[str]] = {s: set() for s in SECTIONS}
    for row in read_table(PATTERNS):
        section, term = row["section"].strip(), row["term"].strip()
        kind = row["kind"].strip()
        if section not in SECTIONS:
            raise ResourceError(f"{PATTERNS}: unknown section {section!r} ({term})")
        if not term:
            raise ResourceError(f"{PATTERNS}: empty term in section {section}")
        if term in words[section]:
            raise ResourceError(f"{PATTERNS}: {term!r} twice in section {section}")
        words[section].add(term)
        if section in ("scheme", "program", "head") and kind not in KINDS:
            raise ResourceError(f"{PATTERNS}: {term!r} has unknown kind {kind!r}")
        if section in ("scheme", "program"):
            for surface in (term, *_split(row["variants"])):
                if surface in names and names[surface][0] != term:
                    raise ResourceError(f"{PATTERNS}: {surface!r} names both "
                                        f"{names[surface][0]} and {term}")
                names[surface] = (term, kind)
        elif section == "head":
            mode = row["variants"].strip()
            if mode.startswith("bare:"):
                heads[term] = Head(term, kind, "bare", int(mode[5:]))
            elif mode in ("quoted", "after"):
                heads[term] = Head(term, kind, mode)
            else:
                raise ResourceError(
                    f"{PATTERNS}: head {term!r} has unknown mode {mode!r}")
    return Lexicon(names=names, heads=heads, verbs=frozenset(words["verb"]),
                   stops=frozenset(words["stop"]), generic=frozenset(words["generic"]),
                   after_reject=_longest_first(words["after_reject"]),
                   doctypes=_longest_first(words["doctype"]))


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _private_jieba(lexicon: Lexicon) -> Segmenter:
    """A private jieba POS tokenizer that knows the listed names and heads.

    Private, because ``add_word`` changes the dictionary of the tokenizer it is called
    on: on jieba's global tokenizer it would change the words every other component
    sees.
    """
    names = [(surface, "nz") for surface in lexicon.names if len(surface) >= 2]
    heads = [(head, "n") for head in lexicon.heads if len(head) >= 3]
    return Segmenter(names + heads)


# ------------------------------------------------------------------ matching


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    canonical: str
    kind: str
    rule: str
    rank: int = 1  # 0 wins every overlap (documents); else the longer span wins


@dataclass(slots=True)
class _Token:
    word: str
    tag: str
    start: int
    end: int


class ProgramFinder:
    """The ``kg_programs`` component: PROGRAM spans with canonical name, kind, rule."""

    def __init__(self, nlp: Language, name: str = "kg_programs") -> None:
        self.name = name
        self._lexicon: Lexicon | None = None
        self._automaton = None
        self._heads = None
        self._pos: Segmenter | None = None

    # -- resources

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        """Load the lexicon, build the name automaton and the private jieba."""
        import ahocorasick

        lexicon = load_lexicon()
        automaton = ahocorasick.Automaton()
        for surface, (canonical, kind) in lexicon.names.items():
            automaton.add_word(surface, (surface, canonical, kind))
        automaton.make_automaton()
        heads = ahocorasick.Automaton()
        for head in lexicon.heads:
            heads.add_word(head, head)
        heads.make_automaton()
        self._lexicon, self._automaton, self._heads = lexicon, automaton, heads
        self._pos = _private_jieba(lexicon)

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self.initialize()
        assert self._lexicon is not None
        return self._lexicon

    # -- the component

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._.ctx if Doc.has_extension("ctx") else None
        headline = getattr(ctx, "title", None) or ""
        text = doc_text(doc)
        for hit in self.find(text, headline=headline, ctx=ctx):
            add_span(doc, hit.start, hit.end, LABEL, hit.canonical, hit.rule,
                     kind=hit.kind, mention=text[hit.start:hit.end])
        return doc

    def find(self, text: str, headline: str = "",
             ctx: Context | None = None) -> list[_Hit]:
        """Every program in ``text`` (non-overlapping, in text order). ``headline`` is
        the article's title (for back-references), ``ctx`` its context (全省 …)."""
        self.lexicon  # noqa: B018  (loads the resources on first use)
        speech = _speech_spans(text)
        documents = self._documents(text, speech, headline)
        quoted, accepted = self._quoted(text, speech, documents, ctx)
        names = self._names(text)
        phrases = self._phrases(text, accepted, ctx)
        return _resolve([*documents, *quoted, *phrases, *names])

    # -- rule 1: listed schemes and programmes

    def _names(self, text: str) -> list[_Hit]:
        hits = []
        for end, (surface, canonical, kind) in self._automaton.iter_long(text):
            start = end - len(surface) + 1
            if text[end + 1:end + 2] in _AGENCY_TAIL:
                continue
            hits.append(_Hit(start, end + 1, canonical, kind,
                             "program_patterns:" + canonical))
        return hits

    # -- rule 2: documents in 《》

    def _documents(self, text: str, speech: list[tuple[int, int]],
                   headline: str) -> list[_Hit]:
        lexicon = self.lexicon
        hits: list[_Hit] = []
        earlier = [m.group(1) for m in _TITLE.finditer(headline)]
        for m in _TITLE.finditer(text):
            if _inside(m.start(), m.end(), speech):
                continue
            title = _SPACE.sub(" ", m.group(1)).strip()
            end = m.end()
            years = _YEARS.match(text, end)
            if years and not _TRAILING_PAREN.search(title):
                title += _SPACE.sub("", years.group(0))
                end = years.end()
            core = _TRAILING_PAREN.sub("", title).strip()
            doctype = next((d for d in lexicon.doctypes if core.endswith(d)), None)
            if doctype is None and not core.startswith("关于"):
                continue  # a book, film or paper, not a document
            if core in lexicon.doctypes:  # 《决定》: the last full title of that type
                canonical = next(
                    (t for t in reversed(earlier)
                     if t != core and _TRAILING_PAREN.sub("", t).endswith(core)), title)
                rule = "document:back_reference"
            elif doctype == "法" and not core.endswith(_NOT_LAW) and \
                    not core.startswith("中华人民共和国") and not re.search(r"[省市县]", core):
                canonical, rule = "中华人民共和国" + title, "document:law"
            else:
                canonical, rule = title, "document"
            earlier.append(canonical)
            hits.append(_Hit(m.start(), end, canonical, "policy_document", rule,
                             rank=0))
        cut = _TRUNCATED.search(text)
        if cut and not _inside(cut.start(), cut.end(), speech):
            # the article breaks off inside a title (continued on another page)
            title = _SPACE.sub(" ", cut.group(1)).strip()
            hits.append(_Hit(cut.start(), cut.end(), title, "policy_document",
                             "document:truncated", rank=0))
        return hits

    # -- rule 3: initiatives in “”

    def _quoted(self, text: str, speech: list[tuple[int, int]], documents: list[_Hit],
                ctx: Context | None = None
                ) -> tuple[list[_Hit], dict[str, tuple[str, str]]]:
        """Quoted initiatives, and the accepted names (X -> (canonical, kind)). A name
        that starts with a context word is filed under the home region (“全省新时代好少年”
        in a Qinghai paper -> 青海省新时代好少年)."""
        blocked = [*speech, *((h.start, h.end) for h in documents)]
        occurrences = []
        accepted: dict[str, tuple[str, str]] = {}
        for m in _QUOTE.finditer(text):
            if _inside(m.start(), m.end(), blocked):
                continue
            name = _SPACE.sub("", m.group(1))
            if not 2 <= len(name) <= MAX_QUOTED or _SPEECH.search(name):
                continue
            if _SIGNS_ONLY.fullmatch(name):
                continue  # “343”, “1+N+X”: a name only with its head (rule 4)
            post = _clause_after(text, m.end())
            head = self._head_after(post)
            occurrences.append((m.start(), m.end(), name, head))
            if name in accepted:
                continue
            verdict = self._quoted_verdict(text, m.start(), name, post, head)
            if verdict:
                accepted[name] = _with_home_region(*verdict, ctx)
        hits = []
        for start, end, name, head in occurrences:
            if name not in accepted:
                continue
            canonical, kind = accepted[name]
            if head is not None and head[1] <= 4:  # “潮汐窗口”服务模式: head in the mention
                end += head[1]
            items = self._list_items(name)
            if items:  # “春风行动、就业援助月”: one program per item
                pos = start + 1
                for item in items:
                    at = text.find(item[0], pos, end)
                    if at < 0:
                        break
                    hits.append(_Hit(at, at + len(item[0]), item[1], item[2],
                                     "quoted:list"))
                    pos = at + len(item[0])
                continue
            if canonical != name and canonical.endswith(name) and \
                    text.endswith(canonical[:-len(name)], 0, start):
                start -= len(canonical) - len(name)  # 医保“十分钟服务圈”
            hits.append(_Hit(start, end, canonical, kind, "quoted"))
        return hits, accepted

    def _quoted_verdict(self, text: str, start: int, name: str, post: str,
                        head: tuple[Head, int] | None) -> tuple[str, str] | None:
        """(canonical, kind) if the quoted phrase ``name`` is an initiative."""
        lexicon = self.lexicon
        if name in lexicon.names:
            return lexicon.names[name]
        if "," in name or "，" in name or name.endswith(_ORG_TAIL):
            return None  # a slogan in two clauses; an organisation (“青苗党支部”)
        own = next((h for h in lexicon.heads_longest_first
                    if name.endswith(h.word) and len(name) - len(h.word) >= 2), None)
        if own is not None:  # “青苗计划”, “建家建线工程”, “三个一服务”
            return name, _kind_of(name, own.kind if own.kind != "other"
                                  else "campaign_or_initiative")
        if self._list_items(name):
            return name, "campaign_or_initiative"
        if post.startswith(lexicon.after_reject):
            return None
        if len(name) <= 3 and self._common_word(name):
            return None
        if len(name) >= 3 and name.endswith("保") and name[-2:] not in _NOT_PRODUCT:
            return name, "insurance"  # a 惠民保 product: “青海健康保”
        if head is not None:
            return name, _kind_of(name, head[0].kind if head[0].kind != "other"
                                  else "campaign_or_initiative")
        found = self._verb_before(text, start, post)
        if found is None:
            return None
        verb, filler = found
        kind = "other" if verb in _HONOUR_VERBS else "campaign_or_initiative"
        if filler and self._tag(filler) in _NOUN_POS:  # 建设医保“十分钟服务圈”
            return filler + name, _kind_of(name, kind)
        return name, _kind_of(name, kind)

    def _list_items(self, name: str) -> list[tuple[str, str, str]]:
        """A 、-list of names (“春风行动、就业援助月”): (item, canonical, kind) per item
        when every item is a listed name or ends in a head; else []."""
        if "、" not in name:
            return []
        lexicon = self.lexicon
        out = []
        for item in name.split("、"):
            if item in lexicon.names:
                out.append((item, *lexicon.names[item]))
                continue
            own = next((h for h in lexicon.heads_longest_first
                        if item.endswith(h.word) and len(item) - len(h.word) >= 2
                        and h.mode == "bare"), None)
            if own is None:
                return []
            out.append((item, item, _kind_of(item, own.kind)))
        return out

    def _common_word(self, word: str) -> bool:
        """Whether jieba's dictionary knows ``word`` as an ordinary word (面子, 加码)."""
        self.lexicon  # noqa: B018  (loads the tokenizer)
        return bool(self._pos.freq.get(word))

    def _head_after(self, post: str) -> tuple[Head, int] | None:
        """The head right after a closing quote (after 等/系列/a count): (head, length)."""
        skip = 0
        for lead in ("等各类", "等系列", "等", "系列"):
            if post.startswith(lead):
                skip = len(lead)
                break
        count = _COUNT.match(post, skip)
        if count and count.end() > skip:
            skip = count.end()
        for head in self.lexicon.heads_longest_first:
            if post.startswith(head.word, skip):
                return head, skip + len(head.word)
        return None

    def _verb_before(self, text: str, start: int, post: str) -> tuple[str, str] | None:
        """A program verb at most VERB_GAP characters before the opening quote (no 的
        between): (verb, the characters between verb and quote). 以“X” counts when a
        purpose follows (以“X”为抓手, 以“X”推动…), not a theme (以“X”为主题: a slogan)."""
        before = text[max(0, start - VERB_GAP - 4):start]
        cut = max((i for i, c in enumerate(before) if c in _PUNCT or c in "“”"),
                  default=-1)
        before = before[cut + 1:]
        for gap in range(0, min(VERB_GAP, len(before)) + 1):
            left, filler = before[:len(before) - gap], before[len(before) - gap:]
            if "的" in filler:
                break
            for verb in self.lexicon.verbs:
                if not left.endswith(verb):
                    continue
                if verb == "以":
                    if gap == 0 and post.startswith(_MEANS_OF) and \
                            not post.startswith("为主题"):
                        return verb, ""
                    continue
                return verb, filler
        return None

    # -- rule 4: named plans ending in a head

    def _phrases(self, text: str, accepted: dict[str, tuple[str, str]],
                 ctx: Context | None) -> list[_Hit]:
        """Rule 4 at every word that ends in a head. The words are cut only from the
        segment holding the head to the word after it; the left edge cuts more if it
        walks on."""
        lexicon = self.lexicon
        assert self._pos is not None and self._heads is not None
        words = self._pos.words(text)
        hits = []
        # the head ending at each place: the longest, then the first in code point order
        ending: dict[int, str] = {}
        for last, word in self._heads.iter(text):
            other = ending.get(last + 1)
            if other is None or (-len(word), word) < (-len(other), other):
                ending[last + 1] = word
        for end in sorted(ending):
            head = lexicon.heads[ending[end]]
            if head.mode != "bare" and not self._may_name(text, words, end - len(head.word),
                                                          end):
                continue
            if not words.is_bound(end):
                continue  # the head ends inside a word
            tokens = [_Token(w, t, s, e) for s, e, w, t in
                      words.tokens(end - len(head.word), end, after=1)]
            i = next(k for k, tok in enumerate(tokens) if tok.end == end)
            following = tokens[i + 1].word if i + 1 < len(tokens) else ""
            if following in lexicon.heads and following not in _HEAD_OF_PROGRAM:
                continue  # 制度|体系: the last head decides
            hit = self._phrase(text, words, tokens, i, head, accepted, ctx)
            if hit is not None:
                hits.append(hit)
        return hits

    def _may_name(self, text: str, words: TextWords, head_start: int, end: int) -> bool:
        """Whether a quoted or an "after" head can end a name here at all, before any
        cut: ``_phrase`` takes one only with a closing quote in the name or a listed
        surface ending the phrase or the name. The name starts in the word holding the
        head (so in its segment) or at most MAX_PHRASE characters before ``end``."""
        lo = max(0, min(end - MAX_PHRASE, words.segment_start(head_start)))
        if "”" in text[lo:head_start]:
            return True
        names = self.lexicon.names
        return any(text[at - k:at] in names for at in (end, head_start)
                   for k in range(3, at - lo + 1))

    def _left_edge(self, text: str, words: TextWords, tokens: list[_Token], i: int,
                   end: int) -> tuple[int, _Token | None]:
        """Start of the name whose first known token is ``i``, and the token that
        stopped it.

        ``tokens`` starts at a segment's start; the segments before it are cut only when
        the walk reaches them (it mostly stops at the punctuation ending the one before).
        """

        def earlier() -> int:
            """Put the words of the segment before ``tokens`` in front; their count."""
            at = tokens[0].start
            more = [_Token(w, t, s, e) for s, e, w, t in words.tokens(at - 1, at)]
            tokens[:0] = more
            return len(more)

        start = tokens[i].start
        j = i - 1
        after_quote = False
        while j >= 0 or tokens[0].start > 0:
            if j < 0:
                j += earlier()
            tok = tokens[j]
            if tok.word == "”":  # take a whole quoted name: 志愿服务“双报到”机制
                open_at = text.rfind("“", max(0, tok.start - MAX_QUOTED - 1), tok.start)
                if open_at < 0 or _SPEECH.search(text[open_at:tok.start]) or \
                        end - open_at > MAX_PHRASE:
                    return start, tok
                while tokens[0].start > open_at:
                    j += earlier()
                while j >= 0 and tokens[j].start > open_at:
                    j -= 1
                start, after_quote = open_at, True
                j -= 1
                continue
            if self._stops(tok) or tok.start < end - MAX_PHRASE:
                return start, tok
            if after_quote and tok.tag == "v":  # 开发“稻虾轮作”…: a verb governs the quote
                return start, tok
            start, after_quote = tok.start, False
            j -= 1
        return start, None

    def _phrase(self, text: str, words: TextWords, tokens: list[_Token], i: int, head: Head,
                accepted: dict[str, tuple[str, str]],
                ctx: Context | None) -> _Hit | None:
        lexicon = self.lexicon
        end = tokens[i].end
        head_start = end - len(head.word)
        k = i  # the token the head starts in (制度|机制 spans two)
        while k > 0 and tokens[k].start > head_start:
            k -= 1
        prefix = text[tokens[k].start:head_start]
        if prefix and self._stops(_Token(prefix, self._tag(prefix), 0, 0)):
            return None  # 按计划, 深化改革
        start, stopper = self._left_edge(text, words, tokens, k, end)
        if start >= head_start:
            return None
        name, phrase = text[start:head_start], text[start:end]
        if stopper is not None and (stopper.word in _ANAPHOR or stopper.tag == "q"
                                    or _COUNT.fullmatch(stopper.word)):
            return None  # 该项目, 这一整合行动, 109个产业合作项目
        listed = self._listed_suffix(phrase, name)
        if listed is not None:
            at, canonical, kind = listed
            return _Hit(start + at, end, canonical, kind, "head+program_patterns")
        quoted = re.match(r"“([^“”]+)”", name)
        if quoted and quoted.group(1) in accepted:
            rest = name[quoted.end():]
            if len(rest) <= 2 or rest in lexicon.generic:  # “X”重大战略: X's mention
                canonical, kind = accepted[quoted.group(1)]
                return _Hit(start, end, canonical, kind, "head+quoted")
        has_quote = "“" in name and "”" in name
        if head.mode == "after" and not (quoted and quoted.end() == len(name)):
            return None  # only right after a quoted name: “1+8+N”服务模式
        if head.mode == "quoted" and not has_quote:
            return None
        if head.mode == "bare" and not has_quote and len(name) < head.min_name:
            return None
        if self._generic(name):
            return None
        canonical, rule = phrase, "head:" + head.word
        region = _context_region(stopper, ctx)
        if region:  # 全省医疗保障扶贫问题整改工作方案 -> 甘肃省…
            canonical, start, rule = region + phrase, stopper.start, rule + "+context"
        return _Hit(start, end, canonical, _kind_of(phrase, head.kind), rule)

    def _listed_suffix(self, phrase: str, name: str) -> tuple[int, str, str] | None:
        """A listed scheme ending the phrase (助推乡村振兴战略) or its name part
        (长期护理保险|制度): (offset of the listed surface, canonical, kind). The longest
        surface of three or more characters wins (then the first in code point order),
        the phrase before the name for the same surface."""
        names = self.lexicon.names
        found = [((-k, text[-k:]), rank, len(text) - k)
                 for rank, text in enumerate((phrase, name))
                 for k in range(3, len(text) + 1) if text[-k:] in names]
        if not found:
            return None
        (_, surface), _, at = min(found)
        return at, *names[surface]

    def _tag(self, word: str) -> str:
        self.lexicon  # noqa: B018
        return self._pos.tags.get(word, "")

    def _stops(self, tok: _Token) -> bool:
        """Whether a name cannot extend over this token (its left edge stops here)."""
        stops = self.lexicon.stops
        word = tok.word
        if word == "·":
            return False  # 乡见·竹海里项目
        if word in stops or any(c in _PUNCT or c in "“”" for c in word):
            return True
        if len(word) > 2 and any(word.startswith(s) or word.endswith(s)
                                 for s in stops if len(s) >= 2):
            return True  # 深入开展, 不断完善: jieba keeps them as one word
        if tok.tag in _STOP_POS and not word.endswith("期") and word != "·":
            return True
        return tok.tag == "t" and bool(_TIME.search(word))

    def _generic(self, name: str) -> bool:
        """Whether a head phrase's name part is generic: it ends in a generic word
        (重点项目, 民心工程, 残疾人社会保障制度, 志愿服务活动) or in 类 (福利类项目)."""
        return name.endswith(("类", *self.lexicon.generic))


# ------------------------------------------------------------------ helpers


def _kind_of(name: str, kind: str) -> str:
    """Insurance wins when the name says so (…保险, …保障计划)."""
    if "保险" in name or name.endswith("保障计划"):
        return "insurance"
    return kind


def _context_region(stopper: _Token | None, ctx: Context | None) -> str | None:
    """The home region a context word before a name stands for (全省 -> 甘肃省)."""
    if stopper is None:
        return None
    if ctx is None:
        return "全国" if stopper.word == "全国" else None
    if stopper.word in _PROVINCE_WORDS:
        return ctx.home_province
    if stopper.word in _CITY_WORDS:
        return ctx.home_city
    if stopper.word == "全国":  # national names keep it: 全国基本医保参保情况通报
        return "全国"
    return None


def _with_home_region(canonical: str, kind: str,
                      ctx: Context | None) -> tuple[str, str]:
    """全省X -> <home province>X, 全市X -> <home city>X (the rest unchanged)."""
    if ctx is not None and len(canonical) > 4:
        home = (ctx.home_province if canonical[:2] in _PROVINCE_WORDS else
                ctx.home_city if canonical[:2] in _CITY_WORDS else None)
        if home:
            return home + canonical[2:], kind
    return canonical, kind


def _clause_after(text: str, pos: int, width: int = 12) -> str:
    """Up to ``width`` characters after ``pos``, cut at the first punctuation."""
    out = []
    for c in text[pos:pos + width]:
        if c in _PUNCT or c in "“”":
            break
        out.append(c)
    return "".join(out)


def _speech_spans(text: str) -> list[tuple[int, int]]:
    """Quoted speech: “…” with sentence punctuation inside or over 24 characters."""
    spans = []
    for m in _QUOTE.finditer(text):
        inner = _SPACE.sub("", m.group(1))
        if _SPEECH.search(inner) or len(inner) > 24:
            spans.append((m.start(), m.end()))
    return spans


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Non-overlapping hits: documents first, then the longer span, then the earlier."""
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.rank, -(h.end - h.start), h.start)):
        if any(hit.start < c.end and c.start < hit.end for c in chosen):
            continue
        chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


@Language.factory("kg_programs", assigns=["doc.spans"])
def make_program_finder(nlp: Language, name: str) -> ProgramFinder:
    """Insurance schemes, documents in 《》, initiatives in “” and named plans."""
    return ProgramFinder(nlp, name)
