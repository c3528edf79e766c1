"""``kg_regions``: administrative divisions, context references and places in them.

Matching runs over the whole text with an Aho-Corasick automaton (leftmost-longest) of
every surface form of every division (full names, short forms such as 临夏州, 积石山县,
甘肃), on character offsets, so a name is found whatever jieba would make of it.

Short forms that are also ordinary words (合作, 公安, 金山, 大同) need support: the place
lies in the paper's home region, or an ancestor of it is named in the same text, or
jieba's dictionary knows the word as a place name (ns) and the match sits on jieba word
boundaries (so 左权 inside the name 沈左权 is not the county).

Context words (我省, 全市, 全国) resolve through ``doc._.ctx``. Places that are not
divisions (兰州新区, 兰州中川国际机场, 锦南街道, 马庄村) are found after a division or
through jieba's words, with level other, township or village and the division they lie in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.spans import add_span, doc_text
from kg.nlp.words import TextWords, Token, doc_words, segmenter
from kg.resources import read_table
from kg.resources.regions import Region, RegionTable, load_regions

COUNTRY = "中华人民共和国"
_LEVEL_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3}
#: Suffixes of places that are not divisions, longest first, with their level.
_PLACE_SUFFIXES = (
    ("经济技术开发区", "other"), ("高新技术产业开发区", "other"), ("国际机场", "other"),
    ("开发区", "other"), ("高新区", "other"), ("新区", "other"), ("化工园区", "other"),
    ("产业园区", "other"), ("工业园区", "other"), ("产业园", "other"), ("园区", "other"),
    ("机场", "other"), ("街道", "township"), ("办事处", "township"), ("镇", "township"),
    ("乡", "township"), ("村", "village"), ("社区", "village"),
)
_SUFFIX_RE = re.compile("|".join(s for s, _ in _PLACE_SUFFIXES))
_SUFFIX_LEVEL = dict(_PLACE_SUFFIXES)
_HAN = re.compile(r"[\u4e00-\u9fff]+")
#: Characters that cannot stand inside a place's own name between a division and a suffix.
_BREAK = set("的和与及在对将把是为从向以之其并而或、,，。;；:：()（）“”《》 \n")
#: What follows a place name when the whole is an organisation, not a place.
_ORG_AFTER = re.compile(r"集团|公司|管委会|管理委员会|委员会|党工委|工委|管理局|办公室|分局|支队|大队")
#: jieba tags of words that are names (place, other proper, person names).
_NAME_TAGS = {"ns", "nz", "nr", "nrt", "nrfg"}


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    region: Region
    rule: str


class RegionMatcher:
    """Finds REGION spans; resources are loaded by ``initialize``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table: RegionTable | None = None
        self.automaton: ahocorasick.Automaton | None = None
        self.context: dict[str, str] = {}
        self._pending_places: list[tuple[int, int, str]] = []

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        self.table = load_regions()
        self.context = {row["surface"]: row["refers"] for row in read_table("region_context.tsv")}
        automaton = ahocorasick.Automaton()
        for surface in self.table.surface_index():
            if len(surface) >= 2:
                automaton.add_word(surface, surface)
        for surface in self.context:
            automaton.add_word(surface, surface)
        automaton.make_automaton()
        self.automaton = automaton
        segmenter()

    # -- matching -------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if self.automaton is None:
            self.initialize()
        assert self.table is not None and self.automaton is not None
        ctx = doc._.ctx
        text = doc_text(doc)
        if not text:
            return doc
        words = doc_words(doc)
        raw = [(end + 1 - len(s), end + 1, s) for end, s in self.automaton.iter_long(text)]
        explicit = {r.name for _, _, s in raw for r in self.table.candidates(s)
                    if s == r.name and len(s) > 2}
        hits: list[_Hit] = []
        deferred: list[tuple[int, int, str]] = []
        self._pending_places: list[tuple[int, int, str]] = []
        self._aliases: dict[tuple[int, int], str] = {}
        for start, end, surface in raw:
            if surface in self.context:
                deferred.append((start, end, surface))
                continue
            region = self._choose(surface, start, end, ctx, explicit, words)
            if region is not None:
                rule = "regions.full_name" if region.name == surface else "regions.short_form"
                hits.append(_Hit(start, end, region, rule))
        hits = self._fold_foreign_into_places(hits)
        for start, end, surface in deferred:
            region = self._context_region(surface, ctx, hits)
            if region is not None:
                hits.append(_Hit(start, end, region, "regions.context_word"))
        for hit in sorted(hits, key=lambda h: h.start):
            self._emit(doc, hit.start, hit.end, hit.region, hit.rule)
        self._places(doc, hits, words)
        return doc

    def _choose(self, surface: str, start: int, end: int, ctx, explicit: set[str],
                words: TextWords) -> Region | None:
        """The division a surface names here, or None when the text does not support it."""
        table = self.table
        year = ctx.year if ctx else None
        candidates = [r for r in table.candidates(surface, year) if r.level in _LEVEL_RANK]
        if not candidates:
            return None
        home = ctx.home_names() if ctx is not None else set()

        def on_words() -> bool:  # cut only for the few short forms that ask
            return words.is_plain_bound(start) and words.is_plain_bound(end)

        def parent_named(region: Region) -> bool:
            up = table.parent(region)
            return up is not None and up.name in explicit

        def in_home(region: Region) -> bool:
            return bool(({a.name for a in table.ancestors(region)} | {region.name}) & home)

        def rank(region: Region) -> tuple[int, int, int, int]:
            current = 0 if (year is None and (region.last_year or 9999) >= 2024) or (
                year is not None and region.valid_in(year)) else 1
            return (current, -(in_home(region) + parent_named(region)),
                    _LEVEL_RANK[region.level], 0)

        best = min(candidates, key=rank)
        generic = len(surface) <= 2 and (table.is_ambiguous_short(surface)
                                         or surface.endswith("区"))
        if best.name != surface and rank(best)[0]:
            return None  # a short form of a name no longer in use: not without its suffix
        if best.name == surface and not generic:
            # a full name; a short one far from home must sit on jieba's word boundaries
            if len(surface) <= 3 and not (in_home(best) or parent_named(best)) and not on_words():
                return None
            return best
        if not (generic or table.is_ambiguous_short(surface)):
            return best
        tag = segmenter().tags.get(surface)
        if tag is not None and tag not in _NAME_TAGS:
            # an ordinary word (合作, 公安, 大同): only where the full name is written too
            return best if best.name in explicit else None
        if best.name.endswith("区") and best.level == "county":
            # district short forms (城东, 姑苏) need their city or the home city
            home_city = ctx.home_city if ctx else None
            up = table.parent(best)
            if (best.name in explicit and not generic) or parent_named(best) or (
                    up and up.name == home_city):
                return best
            return None
        if in_home(best) or parent_named(best) or (tag == "ns" and on_words()):
            return best
        return None

    def _fold_foreign_into_places(self, hits: list[_Hit]) -> list[_Hit]:
        """绍兴|滨海新区: a division name right after another division that is not its
        ancestor is the name of a place inside the first (a zone), not the far-away
        division of that name."""
        table = self.table
        out: list[_Hit] = []
        folded: dict[str, str] = {}
        for hit in sorted(hits, key=lambda h: h.start):
            prev = out[-1] if out else None
            if prev is not None and prev.end == hit.start and prev.region.level in (
                    "province", "prefecture", "county") and hit.region.level == "county":
                ancestors = {a.name for a in table.ancestors(hit.region)}
                if prev.region.name not in ancestors and hit.region.name.endswith("区"):
                    self._pending_places.append((prev.start, hit.end, prev.region.name))
                    folded[hit.region.name] = prev.region.name
                    continue
            out.append(hit)
        # later bare mentions of the folded name (滨海新区) are the same place
        kept = []
        for hit in out:
            if hit.region.name in folded and hit.region.level == "county":
                self._pending_places.append((hit.start, hit.end, folded[hit.region.name]))
                self._aliases[(hit.start, hit.end)] = hit.region.name
                continue
            kept.append(hit)
        return kept

    def _context_region(self, surface: str, ctx, hits: list[_Hit]) -> Region | None:
        refers = self.context[surface]
        table = self.table
        if refers == "country":
            found = table.by_name(COUNTRY)
            return found[0] if found else None
        name = None
        if ctx is not None:
            name = {"home_province": ctx.home_province, "home_city": ctx.home_city,
                    "home_county": ctx.home_county}[refers]
        if name is None and refers in ("home_city", "home_county"):
            # a provincial page's local story: the city or county the text names most
            level = "prefecture" if refers == "home_city" else "county"
            counts = Counter(h.region.name for h in hits if h.region.level == level)
            if not counts and refers == "home_city":
                counts = Counter(h.region.name for h in hits if h.region.level == "county"
                                 and h.region.name.endswith("市"))
            name = counts.most_common(1)[0][0] if counts else None
        if name is None:
            return None
        found = table.by_name(name)
        return found[0] if found else None

    def _emit(self, doc: Doc, start: int, end: int, region: Region, rule: str,
              level: str | None = None, parent: str | None = None) -> None:
        table = self.table
        if level is None:
            up = table.parent(region) if region.level != "country" else None
            parent = up.name if up is not None else None
        text = doc_text(doc)
        add_span(doc, start, end, "REGION", region.name if level is None else text[start:end],
                 rule, level=level or region.level, code=region.code if level is None else None,
                 parent=parent, mention=text[start:end])

    # -- places that are not divisions ------------------------------------------------

    def _places(self, doc: Doc, hits: list[_Hit], words: TextWords) -> None:
        """Development zones, airports, townships and villages after a division name,
        and township or village names jieba marks as names."""
        text = doc_text(doc)
        taken = [(h.start, h.end) for h in hits]
        by_end = {h.end: h for h in hits}
        found: list[tuple[int, int, str, str]] = []
        starts = {h.start for h in hits}
        for hit in hits:
            if hit.region.level not in ("prefecture", "county", "province"):
                continue
            if hit.end in starts:
                continue  # a division follows (嘉兴市|桐乡市): the chain goes on from it
            pos = hit.end
            parent = hit.region.name
            base_start = hit.start
            while True:
                m = _next_place(text, pos)
                if m is None:
                    break
                end, level = m
                found.append((base_start, end, level, parent))
                parent = text[base_start:end]
                pos = end
                if level != "other":
                    break
        folded_names = {}
        for start, end, parent in self._pending_places:
            if (start, end) in self._aliases:
                continue
            folded_names[text[start:end]] = (start, end)
            found.append((start, end, "other", parent))
        for (start, end), short in self._aliases.items():
            full = next((n for n in folded_names if n.endswith(short)), None)
            if full is not None:
                add_span(doc, start, end, "REGION", full, "regions.place_alias", level="other",
                         code=None, parent=None, mention=text[start:end])
        for start, end, level in _named_places(words) + _quoted_places(text) + _landmarks(text):
            if any(s < end and start < e for s, e, *_ in found):
                continue
            parent_hit = by_end.get(start)
            parent = parent_hit.region.name if parent_hit else _nearest_division(hits, start)
            found.append((start, end, level, parent))
        for start, end, level, parent in list(found):
            if level == "township":  # 云田镇|杜家门村: a village named after its township
                m = _next_place(text, end)
                if m is not None and m[1] == "village":
                    found.append((end, m[0], "village", text[start:end]))
        for start, end, level, parent in found:
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in taken
                   if e - s > end - start):
                continue
            add_span(doc, start, end, "REGION", _place_name(text, start, end, by_end, level),
                     "regions.place", level=level, code=None, parent=parent,
                     mention=text[start:end])


def _place_name(text: str, start: int, end: int, by_end: dict[int, _Hit], level: str) -> str:
    """A township or village is named without the divisions written before it
    (湖州市安吉县孝源街道 → 孝源街道); a zone keeps its city (兰州新区); a lake's wetland
    is the lake (潘安湖湿地 → 潘安湖)."""
    if level == "other":
        name = text[start:end]
        if name.endswith("湿地") and name[-3] in "湖河":
            return name[:-2]
        return name
    pos = start
    while True:
        nxt = next((h for h in by_end.values() if h.start == pos and h.end < end), None)
        if nxt is None:
            break
        pos = nxt.end
    return text[pos:end]


def _next_place(text: str, pos: int) -> tuple[int, str] | None:
    """A place suffix within a few characters after ``pos`` (兰州|中川国际机场)."""
    limit = min(len(text), pos + 8)
    for k in range(pos, limit):
        if text[k] in _BREAK or not ("\u4e00" <= text[k] <= "\u9fff"):
            return None
        m = _SUFFIX_RE.match(text, k)
        if m:
            level = _SUFFIX_LEVEL[m.group()]
            if level != "other" and k - pos < 2:
                return None  # 城|镇, 桐|乡: a township needs a name of its own
            if _ORG_AFTER.match(text, m.end()):
                return None  # 甘肃省民航机场|集团 is an enterprise, not a place
            return m.end(), level
    return None


#: Where a township or village suffix ends a word: the segments _named_places cuts.
_SUFFIX_CHARS = re.compile("|".join(s for s, level in _PLACE_SUFFIXES if level != "other"))
#: Words _named_places looks back over from a suffix (the gathered single characters).
_LOOK_BACK = 3


def _named_places(words: TextWords) -> list[tuple[int, int, str]]:
    """Townships and villages jieba shows as names: 马庄村 (one word), 锦南|街道.

    Only the words holding a suffix are cut, with the words before them that the
    look-back over single characters can reach."""
    text = words.text
    out = []
    freq = segmenter().freq
    done = -1
    for m in _SUFFIX_CHARS.finditer(text):
        if m.start() < done:
            continue
        first = words.tokens(m.start(), m.start() + 1)
        at, done = first[0][0], first[-1][1]
        tokens = words.tokens(max(0, at - _LOOK_BACK), done)
        for i, tok in enumerate(tokens):
            if tok[0] < at:
                continue
            _named_place(tokens, i, freq, out)
    return out


def _named_place(tokens: list[Token], i: int, freq: dict[str, int],
                 out: list[tuple[int, int, str]]) -> None:
    """The township or village ending with word ``i``, if jieba shows it as a name."""
    start, _, word, flag = tokens[i]
    for suffix, level in _PLACE_SUFFIXES:
        if level == "other":
            continue
        if word.endswith(suffix) and len(word) >= len(suffix) + 2 and flag in _NAME_TAGS \
                and not freq.get(word):
            out.append((start, start + len(word), level))
            return
        if word == suffix and i > 0:
            j = i - 1
            name = tokens[j][2]
            # gather single characters jieba left apart (高|桥|街道)
            while len(name) < 3 and j > 0 and len(tokens[j - 1][2]) == 1 and \
                    _HAN.fullmatch(tokens[j - 1][2]) and len(tokens[j][2]) == 1:
                j -= 1
                name = tokens[j][2] + name
            if 2 <= len(name) <= 4 and _HAN.fullmatch(name) and (
                tokens[i - 1][3] in _NAME_TAGS or not freq.get(name)
            ) and name[-1] not in "个的各全本该":
                out.append((tokens[j][0], start + len(word), level))
            return


_AFTER_BREAK = re.compile(r"(?<=[“”、,，。;；:：(（\s])([\u4e00-\u9fff]{2,3}?)(街道|镇|乡|村)(?![\u4e00-\u9fff]{0,1}[委队部])")
_NOT_IN_NAME = set("的和与及在对将把是为从向以之其并而或个各全本该每等一二三四五六七八九十农城")


def _quoted_places(text: str) -> list[tuple[int, int, str]]:
    """A township or village name right after punctuation: “纺织之乡”宜山镇, 、文家集村."""
    out = []
    for m in _AFTER_BREAK.finditer(text):
        name = m.group(1)
        if any(ch in _NOT_IN_NAME for ch in name) or text.startswith("乡村", m.start(2)):
            continue
        tag = segmenter().tags.get(name)
        if tag is not None and tag not in _NAME_TAGS:
            continue  # 采煤|村, 推进|乡: an ordinary word, not a place name
        out.append((m.start(), m.end(), _SUFFIX_LEVEL[m.group(2)]))
    return out


#: Landmarks named by their kind: parks, wetlands, monitoring stations, innovation
#: parks; a lake only when the text says 湖畔/湖边 or lists it.
_LANDMARK = re.compile(
    r"(?:(?<=[、,;:“”(（\s的在和到])|^)"
    r"(?:([\u4e00-\u9fff]{2,10}?(?:公园|湿地|监测站|创新港|智慧园|游园|广场))"
    r"|([\u4e00-\u9fff]{2,3}湖)(?=畔|边|[、,]))"
)
_NOT_IN_LANDMARK = set("的是在或还为了积极口袋")


def _landmarks(text: str) -> list[tuple[int, int, str]]:
    """Places that are not divisions, named by their kind (华腾富世生态体育公园, 潘安湖畔)."""
    out = []
    pos = 0
    while (m := _LANDMARK.search(text, pos)) is not None:
        group = 1 if m.group(1) else 2
        name = m.group(group)
        if any(ch in _NOT_IN_LANDMARK for ch in name[:-2]):
            pos = m.start() + 1  # 还是在全球数字创新港: try again from the next character
            continue
        out.append((m.start(group), m.end(group), "other"))
        pos = m.end()
    return out


def _nearest_division(hits: list[_Hit], start: int) -> str | None:
    before = [h for h in hits if h.end <= start and h.region.level in ("county", "prefecture")]
    return before[-1].region.name if before else None


@Language.factory("kg_regions", assigns=["doc.spans"])
def make_region_matcher(nlp: Language, name: str) -> RegionMatcher:
    """Divisions with their GB/T 2260 codes, context references and places in them."""
    return RegionMatcher(nlp, name)
