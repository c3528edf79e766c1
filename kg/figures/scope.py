"""The region a figure is about: mentions in the sentence, context words, page defaults.

A statistic in government news is almost always about the place the sentence names
(全市医疗保险参保265.73万人, 杨营村2018年脱贫36户) or, when it names none, the place the
article or the paper is about. ``ScopeResolver`` finds region mentions with one pass
over the page for every surface form of the GB/T 2260 table
(``RegionTable.surface_index``), picks the longest at each place, and resolves:

- full names and unambiguous short forms (甘肃, 格尔木) directly; two-character short
  forms the table flags as possibly ordinary words (``is_ambiguous_short``: 合作, 东方,
  大同, 兰州) only with support: the full name of a candidate occurs on the page, or
  jieba's dictionary tags the form as a proper noun and a candidate lies in the page's
  home province (兰州 in a Gansu paper), or tags it as a place and a candidate is a
  prefecture-level city (苏州); the home province is the publication's, else the one
  the page names most;
- context words: 我省/全省/本省 and a bare 省 (省医保局) → the home province; 我市/全市/
  本市/市 → the publication's city when it is one, else the nearest 市 named earlier in
  the article, else the city the page names most; likewise 县/区/州; 全国/我国 →
  中华人民共和国;
- villages, towns and sub-districts (杨营村, 院桥镇, 孝源街道), which the county-level
  table lacks, by their suffix after a clause boundary, a function word or a region,
  when the name is not a dictionary word (农村, 乡村 are) and has no verb in it;
- reference domains are not subjects: 全国 in 在全国排名第五位, 全省 in 占全省的20.1%,
  走在全国前列; 全国 is the country only at a clause start.

``kg.figures.extract`` takes the nearest usable mention before the figure in its
sentence, else the article title's region (``title_scope``), else the last region of
the article's earlier sentences, else the first sentence's (``lead_scope``), else the
dateline place, else the page's home region (``home_scope``).
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property

from kg.figures.metric import tag
from kg.nlp.words import segmenter
from kg.resources.regions import CHINA, Region, RegionTable, load_regions
from kg.types import Article, Page

#: Context words naming the home region of a level; the value is the level suffix.
CONTEXT_WORDS = {
    "我省": "省", "全省": "省", "本省": "省", "我区": "区", "全区": "区", "本区": "区",
    "我市": "市", "全市": "市", "本市": "市", "我州": "州", "全州": "州", "本州": "州",
    "我县": "县", "全县": "县", "本县": "县",
}  # fmt: skip
#: Words naming the whole country.
COUNTRY_WORDS = ("全国", "我国")
#: Characters that may stand right before a bare level character used as a region
#: (省医保局, 对市区各主干道, 由省总工会领导带队): a clause start or a function word.
_BARE_LEFT = set("，,；;。：:、（(“《 \n由对向在和与及为据从把将被让是经同")
#: Bare level characters: 省 (the home province), 市, 县.
_BARE_LEVEL = re.compile(r"[省市县](?![份长场略去钱心力])")
#: After a mention these make it a reference domain, not the subject (全国排名, 全省前列,
#: 全国平均水平, 全国率先, 全省首家).
_REFERENCE_AFTER = re.compile(
    r"的?(?:排名|排在|前列|平均|率先|首家|首个|首次|第|领先|领跑|同类)"
)
#: Before a mention these make it the denominator or comparison (占全省的20.1%).
_REFERENCE_BEFORE = ("占", "占到", "比", "较", "高于", "低于", "超过")
#: Villages, towns, sub-districts and communities: not in the county-level table.
_LOCAL = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,4}?(?:街道|社区|村|镇|乡))")
#: Characters that cannot start a local place name (全村, 本镇, 各乡, 农村, 城乡 …).
_LOCAL_BAD_START = set("全本该各每其我这那此农城乡山渔牧新老省市县区村镇到在对和与及共")
#: Left context that lets a local name start: a clause boundary or a function word
#: (也是上下王村…, 在锦北街道…).
_LOCAL_LEFT = set("，,；;。：:、（(“ \n是在到对与和及从向于由")
#: The same characters, to find them in C.
_LOCAL_LEFT_CHAR = re.compile(f"[{re.escape(''.join(sorted(_LOCAL_LEFT)))}]")
#: What every local name ends with: a text without one has none (no scan).
_LOCAL_END = re.compile("街道|社区|[村镇乡]")


@dataclass(frozen=True, slots=True)
class Mention:
    """A region named in a text; ``start``/``end`` index that text."""

    start: int
    end: int
    surface: str
    name: str  # canonical name (full GB/T 2260 name, or as written for local places)
    level: str  # country, province, prefecture, county, township, village, context


@cache
def _automaton():  # type: ignore[no-untyped-def]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for surface in load_regions().surface_index():
        if len(surface) >= 2:
            automaton.add_word(surface, surface)
    for word in (*CONTEXT_WORDS, *COUNTRY_WORDS):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@cache
def _forms() -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """What ``_found`` looks for: where a form may start (a first character with a
    second one after it that some form has) and the forms by their first two
    characters."""
    forms = {s for s in load_regions().surface_index() if len(s) >= 2}
    forms.update(CONTEXT_WORDS, COUNTRY_WORDS)
    by_start: dict[str, list[str]] = {}
    for form in sorted(forms):
        by_start.setdefault(form[:2], []).append(form)
    first = "".join(sorted({f[0] for f in forms}))
    second = "".join(sorted({f[1] for f in forms}))
    return re.compile(f"[{re.escape(first)}](?=[{re.escape(second)}])"), by_start


def _found(text: str) -> list[tuple[int, int, str]]:
    """Every table and context form in ``text`` as (start, -end, surface), sorted:
    leftmost first, then longest (equal keys are the same surface).

    A regex finds the places where a form may start and only there are forms
    compared: about four times faster over a page than iterating the automaton."""
    starts, by_start = _forms()
    out = []
    for m in starts.finditer(text):
        i = m.start()
        for form in by_start.get(text[i : i + 2], ()):
            if text.startswith(form, i):
                out.append((i, -i - len(form), form))
    out.sort()
    return out


def _dictionary() -> dict[str, int]:
    return segmenter().freq


#: jieba dictionary tags of proper nouns (places, persons, other names, organisations).
_PROPER_TAGS = frozenset({"ns", "nr", "nz", "nt"})


def _dictionary_tag(word: str) -> str | None:
    """The part of speech jieba's dictionary gives ``word``, or None if absent."""
    return segmenter().tags.get(word)


def _suffix_of(name: str) -> str:
    """The level character a context word can refer to: 市, 县, 区, 州 or 省."""
    if name.endswith("自治州"):
        return "州"
    return name[-1:]


def _local_name(name: str) -> bool:
    """Whether ``name`` (…村, …镇, …街道) reads as a proper place name.

    Refused: names starting with a determiner or generic stem (全村, 农村), dictionary
    words (乡村, 城镇), and names whose last word is a dictionary word that swallows the
    suffix or that contain a verb (确保农村 → 确保 / 农村): the suffix must stand alone
    in jieba's segmentation (杨营 / 村, 孝源 / 街道) or end an unknown word.
    """
    if name[0] in _LOCAL_BAD_START or _dictionary().get(name, 0) > 0:
        return False
    tokens = tag(name)
    for _, _, word, flag in tokens[:-1]:
        if flag.startswith("v") or flag in ("p", "c", "d", "r", "u", "uj"):
            return False
    last = tokens[-1][2]
    suffix = next(x for x in ("街道", "社区", "村", "镇", "乡") if name.endswith(x))
    return last == suffix or _dictionary().get(last, 0) == 0


def _local_places(text: str, found: list[Mention],
                  taken: list[tuple[int, int]]) -> list[Mention]:
    """Villages, towns and sub-districts in ``text`` outside the ``taken`` spans (which
    they join), each starting where a local name may: at the text start, after
    ``_LOCAL_LEFT``, after a region ``found``, after a place found before."""
    ends = {m.end for m in found if m.level not in ("context", "country")}
    starts = [0, *(m.end() for m in _LOCAL_LEFT_CHAR.finditer(text)), *ends]
    heapq.heapify(starts)
    out: list[Mention] = []
    last = -1
    while starts:
        i = heapq.heappop(starts)
        if i >= len(text):
            break
        if i == last:
            continue  # a start listed twice
        last = i
        m = _LOCAL.match(text, i)
        if m is None or not all(m.end() <= s or i >= e for s, e in taken):
            continue
        name = m.group("name")
        if not _local_name(name):
            continue
        level = "village" if name.endswith(("村", "社区")) else "township"
        out.append(Mention(i, m.end(), name, name, level))
        taken.append((i, m.end()))
        heapq.heappush(starts, m.end())  # 党寨镇陈寨村: a village after its town
    return out


class ScopeResolver:
    """Region mentions and figure scopes for one page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.table: RegionTable = load_regions()
        pub = page.publication
        self.year = int(pub.date[:4]) if pub.date and pub.date[:4].isdigit() else None
        self._pub_region = self._region(pub.region) if pub.region else None
        self.home_province = self._home_province()
        self._province_code = self.home_province.code if self.home_province else None
        self._ancestor_cache: dict[tuple[str | None, str], bool] = {}
        self._title_cache: dict[int, str | None] = {}
        self._picks: dict[tuple[str, bool], Region | None] = {}
        # Every table and context form on the page, leftmost then longest: a text that
        # is part of the page has the ones inside it (one pass per page).
        self._page_found = _found(page.text)
        self._page_starts = [f[0] for f in self._page_found]
        self._page_forms = {f[2] for f in self._page_found}

    @cached_property
    def _page_counts(self) -> Counter[str]:
        """Frequencies of resolved mentions on the page (for 我市 without a city paper),
        counted when first asked for: most pages never need them."""
        counts: Counter[str] = Counter()
        for m in self._raw(self.page.text):
            if m.level in ("prefecture", "county", "province"):
                counts[m.name] += 1
        return counts

    # ------------------------------------------------------------------ regions

    def _region(self, name: str) -> Region | None:
        rows = self.table.by_name(name, self.year) or self.table.by_name(name)
        return rows[0] if rows else None

    def _home_province(self) -> Region | None:
        """The publication's province, or the province the page names most."""
        region = self._pub_region
        if region is not None:
            if region.level in ("province", "country"):
                return region
            for anc in self.table.ancestors(region):
                if anc.level == "province":
                    return anc
        counts: Counter[str] = Counter()
        index = self.table.surface_index()
        for end, surface in _automaton().iter(self.page.text):
            for row in index.get(surface, ()):
                if row.level == "province":
                    counts[row.name] += 1
                    break
        if not counts:
            return None
        return self._region(counts.most_common(1)[0][0])

    def _in_home(self, region: Region) -> bool:
        if self._province_code is None or region.code is None:
            return False
        key = (self._province_code, region.code)
        if key not in self._ancestor_cache:
            codes = {a.code for a in self.table.ancestors(region)}
            self._ancestor_cache[key] = self._province_code in codes or (
                region.code == self._province_code
            )
        return self._ancestor_cache[key]

    def _pick(self, surface: str, trusted: bool = False) -> Region | None:
        """The row ``surface`` most likely names on this page, or None if unsupported.

        A short form that is also an ordinary word (合作, 东方, 大同, 新建) needs
        support: a full name of one of its rows on the page, or a proper-noun tag in
        jieba's dictionary together with a row in the home province, or a place-name
        tag for a prefecture-level city (苏州, 徐州). ``trusted`` (a dateline place)
        skips the test.
        """
        key = (surface, trusted)
        if key not in self._picks:  # the same answer all over the page
            self._picks[key] = self._pick_row(surface, trusted)
        return self._picks[key]

    def _pick_row(self, surface: str, trusted: bool) -> Region | None:
        table = self.table
        rows = table.candidates(surface, self.year) or table.candidates(surface)
        if not rows:
            return None
        home = [r for r in rows if self._in_home(r)]
        on_page = [r for r in rows if r.name != surface and self._on_page(r.name)]
        if not trusted and self.table.is_ambiguous_short(surface):
            if len(surface) <= 2 and surface.endswith("区") and any(
                r.name == surface for r in rows
            ):
                return None  # 城区, 新区, 矿区: generic
            flag = _dictionary_tag(surface)
            proper = flag is None or flag in _PROPER_TAGS
            city = flag == "ns" and any(r.level == "prefecture" for r in rows)
            if not (on_page or (proper and home) or city):
                return None
        if home:
            return home[0]
        return (on_page or list(rows))[0]

    def _on_page(self, name: str) -> bool:
        """Whether a region's full name occurs on the page: it is one of its forms, so
        it was found there if it does (forms of two characters and more are found)."""
        return name in self._page_forms if len(name) >= 2 else name in self.page.text

    # ------------------------------------------------------------------ mentions

    def _raw(self, text: str) -> list[Mention]:
        """Longest-leftmost table and context mentions in ``text`` (no local places)."""
        found = self._found(text)
        out: list[Mention] = []
        last = 0
        for start, neg_end, surface in found:
            end = -neg_end
            if start < last:
                continue
            mention = self._resolve_surface(text, start, end, surface)
            if mention is None:
                continue
            out.append(mention)
            last = end
        return out

    def _found(self, text: str) -> list[tuple[int, int, str]]:
        """``_found(text)``, taken from the page's when ``text`` is part of the page."""
        at = self.page.text.find(text) if text else -1
        if at < 0:
            return _found(text)
        lo = bisect.bisect_left(self._page_starts, at)
        hi = bisect.bisect_left(self._page_starts, at + len(text))
        limit = at + len(text)
        return [(start - at, neg_end + at, surface)
                for start, neg_end, surface in self._page_found[lo:hi] if -neg_end <= limit]

    def _resolve_surface(self, text: str, start: int, end: int,
                         surface: str) -> Mention | None:
        if surface in COUNTRY_WORDS:
            # 全国 is the country only as a subject at a clause start; elsewhere it is a
            # domain (入选全国…示范基地, 走在全国前列)
            if surface == "全国" and start and text[start - 1] not in _BARE_LEFT:
                return None
            return Mention(start, end, surface, CHINA, "country")
        if surface in CONTEXT_WORDS:
            return Mention(start, end, surface, "", "context")
        region = self._pick(surface)
        if region is None:
            return None
        return Mention(start, end, surface, region.name, region.level)

    def mentions(self, text: str) -> list[Mention]:
        """Region mentions in ``text`` in order: table forms, context words (name left
        empty, level ``context``; ``resolve`` names them), bare 省/市/县
        before an agency word, and local places (村, 镇, 街道)."""
        out = self._raw(text)
        taken = [(m.start, m.end) for m in out]

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        for m in _BARE_LEVEL.finditer(text):
            i = m.start()
            left = text[i - 1] if i else "\n"
            nxt = text[i + 1 : i + 2]
            if left in _BARE_LEFT and "\u4e00" <= nxt <= "\u9fff" and free(i, i + 1):
                out.append(Mention(i, i + 1, m.group(), "", "context"))
        if _LOCAL_END.search(text):
            out += _local_places(text, out, taken)
        out.sort(key=lambda x: x.start)
        return out

    def is_reference(self, text: str, mention: Mention) -> bool:
        """Whether ``mention`` is a comparison domain (全国排名, 占全省的) in ``text``."""
        if _REFERENCE_AFTER.match(text, mention.end):
            return True
        before = text[max(0, mention.start - 2) : mention.start]
        return before.endswith(_REFERENCE_BEFORE)

    # ------------------------------------------------------------------ context words

    def home_of(self, suffix: str, article: Article | None,
                before: int | None) -> str | None:
        """The region a context word of level ``suffix`` (省, 市, 县, 区, 州) means.

        省 is the home province (and 区 too when that is an autonomous region: 我区 in
        a Ningxia paper). 市 is the publication's city when it is one. Otherwise the
        nearest region with that suffix named in ``article`` before the page offset
        ``before``, else the publication's region, else the one the page names most.
        """
        home = self.home_province
        if suffix == "省" or suffix == "区" and home and home.name.endswith("自治区"):
            return home.name if home else None
        pub = self._pub_region
        local = pub.name if pub and pub.level not in ("province", "country") else None
        if suffix == "市" and local and local.endswith("市"):
            return local
        if article is not None:
            for m in reversed(self._article_mentions(article, before)):
                if m.level in ("prefecture", "county") and _suffix_of(m.name) == suffix:
                    return m.name
        if local and _suffix_of(local) == suffix:
            return local
        for name, _ in self._page_counts.most_common():
            if _suffix_of(name) == suffix:
                return name
        return None

    def _article_mentions(self, article: Article, before: int | None) -> list[Mention]:
        end = article.end if before is None else before
        text = self.page.text[article.start : end]
        title = article.title or ""
        found = [m for m in self._raw(title)] if title else []
        found += self._raw(text)
        return found

    def resolve(self, mention: Mention, article: Article | None,
                page_pos: int) -> str | None:
        """The canonical name of ``mention``; context words are resolved for the
        page offset ``page_pos`` in ``article``."""
        if mention.level != "context":
            return mention.name
        suffix = CONTEXT_WORDS.get(mention.surface, mention.surface[-1])
        return self.home_of(suffix, article, page_pos)

    # ------------------------------------------------------------------ defaults

    def title_scope(self, article: Article) -> str | None:
        """The region the article's title names first (白银平川区 → 平川区)."""
        if article.index not in self._title_cache:
            self._title_cache[article.index] = self.topic(article.title or "", article)
        return self._title_cache[article.index]

    def lead_scope(self, article: Article) -> str | None:
        """The region the article's first sentence names first."""
        if not article.sentences:
            return None
        return self.topic(article.sentences[0].text, article)

    def topic(self, text: str, article: Article) -> str | None:
        """The first region named in ``text``; of a chain (台州市黄岩区院桥镇) the last."""
        found = [m for m in self.mentions(text) if not self.is_reference(text, m)]
        for k, m in enumerate(found):
            if k + 1 < len(found) and found[k + 1].start == m.end:
                continue  # a parent written before its child
            name = self.resolve(m, article, article.start)
            if name:
                return name
        return None

    def dateline_scope(self, article: Article) -> str | None:
        """The dateline place (本报兰州讯 → 兰州市)."""
        if not article.dateline_place:
            return None
        region = self._pick(article.dateline_place, trusted=True)
        return region.name if region else None

    def home_scope(self) -> str | None:
        """The page's home region: the publication's, else the inferred province."""
        if self._pub_region is not None:
            return self._pub_region.name
        return self.home_province.name if self.home_province else None
