"""``kg_agencies``: agency mentions with their full official names.

What is found, in this order (each AGENCY span carries canonical, rule, kind, region,
mention):

1. **Lexicon cores** (``agency_cores.tsv`` via ``kg.resources.lexicons``): every core and
   abbreviation (医保局, 人大常委会, 政协, 省委, 住建部门 …) matched on character
   offsets, then named from what stands before it:

   - an explicit region chain (积石山县住建局, 嘉兴市桐乡市医保局, 宁夏回族自治区人大常委会,
     中共大同市委, 金东区鞋塘办事处上下王村党支部), found with the region table;
   - a bare level word (省医保局, 市政协, 区总工会, 县人社局) resolved by context: the
     nearest earlier division of that level in the same sentence (宁夏回族自治区…、区总工会),
     else the paper's home region (``doc._.ctx``), else the nearest one in the article;
   - nothing: national bodies (国家医保局, 外交部, 党中央, 新华社) and national banks
     (农业银行 → 中国农业银行); a bare local core (住建部门, 政协) names no body and is
     skipped.

   Coordinated regions share the core (临夏州和积石山县住建部门, 陕西、甘肃…和新疆生产建设
   兵团总工会 → one body per region).
2. **Sub-bodies** after a body: 办公室, 党组, 经审会, 专班 (省住建厅灾后重建专班), and
   X驻Y…纪检组/工作队 (省纪委监委驻省总工会机关纪检组); compound cores name their parent
   too (省政府新闻办 → 青海省人民政府 as well).
3. **The paper itself**: its name and 本报 (``doc._.ctx.publication``).
4. **Names by suffix** (…集团, …有限公司, …银行, …大学, …学院, …中心 …) whose left edge
   comes from jieba's words: a name runs left over nouns and names and stops at verbs,
   prepositions, particles and appositive heads (评级机构|安融信用评级有限公司).

Naming rules (gold/GUIDELINES.md): an abbreviation is expanded with the canonical
region (districts keep their city: 临安区委组织部 → 中共杭州市临安区委员会组织部); a core
written in full after a chain of regions keeps the chain as written (绍兴市诸暨市消防救援
大队); village bodies are named from the village alone; enterprises keep the region as
written (广灵农商银行 → 广灵农村商业银行, legal names use short region names).

Segmentation: matching runs on the doc's character tokens (exact boundaries; a core such
as 医保局 straddles jieba's words 医保|局). jieba (a private ``jieba.Tokenizer``, never the
module-global one) is used only where word boundaries decide: the left edge of a name
found by its suffix, and whether a two-character abbreviation (人大, 中办, 民建) sits on
word boundaries rather than inside a word (市民|建设).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.spans import add_span, doc_text, kg_spans, span_rows
from kg.nlp.words import (
    Token,
    doc_words,
    jieba_tokens,  # noqa: F401  (kg_ner imports it from here)
    segmenter,
    word_freq,
)
from kg.resources.lexicons import (
    AgencyCore,
    abbreviation_index,
    expand_agency,
    expand_agency_bodies,
    local_row,
    national_row,
    title_index,
)
from kg.resources.regions import Region, RegionTable, load_regions

CHINA = "中华人民共和国"
LABEL = "AGENCY"

#: Level words standing for "the region of this level in context" (省医保局, 市政协).
MARKERS = ("自治区", "自治州", "省", "市", "州", "县", "区", "旗", "盟")
#: Characters before a level word that make it generic (各市, 全省, 州市 = every one).
_GENERIC_BEFORE = set("各全两该每诸州市县区省")
#: How far left of its end a name found by its suffix may start.
_REACH = 24
#: Province-level units that are no division of GB/T 2260, with the division they lie in.
QUASI_REGIONS = {"新疆生产建设兵团": "新疆维吾尔自治区"}
#: Connectors of coordinated regions sharing one core (临夏州和积石山县住建部门).
_CONNECTORS = ("以及", "、", "和", "及", "与")
#: Place suffixes of townships and villages (not in the division table).
_PLACE_RE = re.compile(r"(街道|办事处|镇|乡|村|社区|嘎查|苏木)$")
_PLACE_LEVEL = {
    "街道": "township",
    "办事处": "township",
    "镇": "township",
    "乡": "township",
    "苏木": "township",
    "村": "village",
    "社区": "village",
    "嘎查": "village",
    # zones: named by their city, with or without a name of their own
    "经济技术开发区": "other",
    "高新技术产业开发区": "other",
    "开发区": "other",
    "高新区": "other",
    "新区": "other",
    "工业园区": "other",
    "产业园区": "other",
    "园区": "other",
    "试验区": "other",
    "示范区": "other",
    "保税区": "other",
}
_PLACE_LEVEL_LONGEST_FIRST = sorted(_PLACE_LEVEL.items(), key=lambda kv: -len(kv[0]))
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Characters that never stand inside an organisation's own name.
_NOT_IN_NAME = set(
    "的和与及在对将把是为从向以之其并而或、,，。;；:：()（）“”‘’《》!！?？ \n\t"
)

#: Words after a body that name a body inside it, with their full form and kind (None:
#: the parent's kind). Longest first.
SUB_BODIES = (
    ("经费审查委员会", "经费审查委员会", None),
    ("经审会", "经费审查委员会", None),
    ("机关党委", "机关党委", "party"),
    ("办公厅", "办公厅", None),
    ("办公室", "办公室", None),
    ("党组", "党组", "party"),
    ("工会", "工会", "union_mass_org"),  # of an enterprise or institution only
)
#: Sub-body words that make a compound core name its parent as well (政府|新闻办公室).
_COMPOUND_TAILS = ("党组", "办公厅", "办公室", "新闻办公室", "研究室", "参事室")
#: X驻Y…<unit>: a unit a body sends to another body or place.
_STATIONED = re.compile(
    r"驻([\u4e00-\u9fff]{2,16}?)(机关)?(纪检监察组|纪检组|工作队|工作组|联络组|办事处)"
)
_STATIONED_KIND = {"纪检监察组": "party", "纪检组": "party"}
#: A working group set up by a body: 省住建厅灾后重建专班.
_TASK_FORCE = re.compile(r"([\u4e00-\u9fff]{0,6}?)专班")

#: A facility named after a body (中科院|安全可控信息技术产业化基地): the body's short
#: name is then only part of another name.
_FACILITY_AFTER = re.compile(r"[\u4e00-\u9fff]{2,14}?(基地|产业园|科技园|园区|大厦|广场)")
#: Facilities that are bodies of their own when a national body's short name opens them
#: (中科院|安全可控信息技术产业化基地): named as written.
_FACILITY_BODIES = ("基地", "产业园", "科技园")
#: A delegation to a session of the National People's Congress: 十三届全国人大二次会议
#: 甘肃代表团 → 第十三届全国人民代表大会第二次会议甘肃代表团.
_DELEGATION = re.compile(
    r"第?([一二三四五六七八九十]{1,3})届全国(?:人大|人民代表大会)"
    r"第?([一二三四五六七八九十]{1,3})次(?:会议)?([\u4e00-\u9fff]{2,8}?)代表团"
)
#: Numbered engineering bureaus of the central construction groups (中铁二十局,
#: 中建三局, 中冶十七局): enterprises known by that name.
_BUREAU = re.compile(
    r"(?:中铁|中建|中冶|中水|中铁建)[一二三四五六七八九十]{1,3}局(?!长)"
)
#: Think tanks named "N人论坛" (中国经济50人论坛, 中国金融四十人论坛).
_FORUM = re.compile(
    r"(中国|全国)[\u4e00-\u9fff]{2,8}?(\d{2,3}|[二三四五六七八九十百]{1,3})人论坛"
)
#: Stations and branches named after a company (…有限公司|义亭液化气储配站).
_COMPANY_UNIT = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(储配站|加油站|加气站|分公司|营业部|项目部|分厂|储备库)"
)
#: Sub-bodies written bare, standing for the body just named (省总工会…，党组把…;
#: 听取市政协…及办公室、各专委会工作汇报), with the kinds of body that have them.
_BARE_PARTY_GROUP = re.compile(r"(?<![\u4e00-\u9fff])党组(?![织书成副会纪长])")
_BARE_OFFICE = re.compile(r"(?<=[及和与、])办公室(?=[、和及]|工作)")
_HAS_PARTY_GROUP = {
    "government",
    "legislature",
    "cppcc",
    "court_procuratorate",
    "union_mass_org",
    "public_institution",
}
#: A centre named without its region where something happens (在困难职工帮扶中心
#: 电子屏上): the one of the region of the last local body of the paragraph.
_AT_CENTRE = re.compile(r"(?<=[在到于])([\u4e00-\u9fff]{4,10}?)中心")
#: A unit a body sets up, in an article about that body (设立法律援助办公室).
_SET_UP = re.compile(
    r"(?:设立|成立|组建)([\u4e00-\u9fff]{2,8}?)(办公室|工作室|服务站|工作站)(?=[，,。；;、])"
)
#: A team or room of a township or village with its own name in quotes: 锦北街道“调小青”
#: 工作室; 孝源街道抽调党员骨干组成“突击队”.
_PLACE = r"([\u4e00-\u9fff]{2,5}?(?:街道|镇|乡|社区|村))"
_PLACE_ROOM = re.compile(
    _PLACE + r"“([\u4e00-\u9fff]{2,8})”(工作室|调解室|服务站|驿站|工作站)"
)
_PLACE_TEAM = re.compile(
    _PLACE + r"[^，,。；;：:“”]{0,12}?(?:组成|组建|成立)“([\u4e00-\u9fff]{1,6}队)”"
)
#: Words before a place that are no part of its name (在锦北街道).
_BEFORE_PLACE = set("在到于去来从对向由将把")
#: 该公司, 该集团, 本局: a body named before.
_REFERENCE = re.compile(r"[该本](公司|集团|企业|局|厅|委|中心|院)")
#: A party branch named in quotes: “青苗党支部”.
_QUOTED_BRANCH = re.compile(r"[“\"]([\u4e00-\u9fff]{2,8}(党支部|党总支|党小组))[”\"]")
#: Name suffixes (longest first): kind, and whether the name must start at a region
#: (or 全国/国家/中国) because the suffix is also a common noun (中心, 办公室).
NAME_SUFFIXES = (
    ("股份有限公司", "enterprise", False),
    ("有限责任公司", "enterprise", False),
    ("有限公司", "enterprise", False),
    ("集团", "enterprise", False),
    ("公司", "enterprise", False),
    ("银行", "enterprise", False),
    ("律师事务所", "other", False),
    ("会计师事务所", "other", False),
    ("大学", "public_institution", False),
    ("学院", "public_institution", False),
    ("学校", "public_institution", False),
    ("医院", "public_institution", True),
    ("研究院", "public_institution", False),
    ("研究所", "public_institution", False),
    ("福利院", "public_institution", False),
    ("协会", "other", False),
    ("学会", "other", False),
    ("日报", "media", False),
    ("晚报", "media", False),
    ("管理委员会", "government", True),
    ("办公室", "government", True),
    ("中心", "public_institution", True),
    ("管理处", "public_institution", True),
    ("管理局", "government", True),
    ("委员会", "government", True),
)
_SUFFIX_KIND = {s: (k, strict) for s, k, strict in NAME_SUFFIXES}
_SUFFIX_RE = re.compile("|".join(s for s, _, _ in NAME_SUFFIXES))
#: jieba tags a name may be made of (nouns, names, abbreviations, numerals, English).
_NAME_FLAGS = (
    "n",
    "nr",
    "nrt",
    "nrfg",
    "ns",
    "nt",
    "nz",
    "ng",
    "j",
    "vn",
    "b",
    "m",
    "eng",
    "an",
    "l",
    "i",
    "nx",
)
#: jieba tags of proper words, after which a verb can still be part of a name.
_PROPER_FLAGS = {"nz", "nr", "nrt", "nrfg", "ns", "nt", "j", "eng"}
#: Suffixes of kinds of bodies that are also plain nouns (保险公司, 电子银行, 职业学校):
#: the name needs a distinctive word.
_NEEDS_PROPER = {
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "银行",
    "大学",
    "学院",
    "学校",
    "医院",
    "研究院",
    "研究所",
}
#: Words naming a type of company or bank, not one company (上市公司, 商业银行).
_TYPE_WORDS = {
    "上市",
    "商业",
    "股份制",
    "外资",
    "合资",
    "独资",
    "私营",
    "民营",
    "国有",
    "外国",
    "本地",
    "地方",
    "大型",
    "小型",
    "中小",
    "关联",
    "子",
    "分",
    "总",
    "母",
    "贷款",
    "小额贷款",
    "保险",
    "证券",
    "信托",
    "基金",
    "担保",
    "房地产",
    "物业",
    "中介",
    "经纪",
    "百货",
    "零售",
    "电子",
    "网上",
    "私人",
    "博彩",
    "投资",
    "猎头",
    "按揭",
    "连锁",
    "房产",
    "三大",
    "四大",
    "五大",
    "六大",
    "国内",
    "海外",
    "境外",
    "一些",
    "全国",
}
#: Classifiers after a numeral (一位, 一家, 多家).
_CLASSIFIERS = set("位家个名批些种所座户")
#: Generic heads before a name (评级机构|安融…, 企业|袍江控股集团): the name starts after.
_APPOSITIVE = {
    "机构",
    "企业",
    "单位",
    "国企",
    "央企",
    "龙头企业",
    "民企",
    "公司",
    "集团",
    "平台",
    "组织",
    "部门",
    "银行",
    "医院",
    "学校",
    "高校",
    "院校",
    "子公司",
}
#: Words that do not make a name by themselves (下属子公司, 大型数字企业, 多家代征银行).
_GENERIC_STEM = {
    "国有",
    "大型",
    "上市",
    "民营",
    "下属",
    "相关",
    "有关",
    "该",
    "本",
    "其",
    "这",
    "各",
    "多家",
    "一家",
    "数字",
    "商业",
    "子",
    "分",
    "总",
    "母",
    "控股",
    "代征",
    "重点",
    "骨干",
    "龙头",
    "国内",
    "国际",
    "知名",
    "权威",
    "城市",
    "地方",
    "省级",
    "市级",
    "县级",
    "农村",
    "村镇",
    "政策性",
    "合作",
    "专业",
    "新闻",
    "技术",
    "服务",
    "工作",
    "人民",
    "职业",
    "三大",
    "四大",
    "五大",
}


#: Words before a name that are no part of it (该|公司, 多家|银行, 国内|知名|…).
_LEADING = {
    "该",
    "本",
    "其",
    "这",
    "各",
    "此",
    "多家",
    "一家",
    "下属",
    "相关",
    "有关",
    "国内",
    "知名",
    "权威",
    "大型",
    "一批",
    "一些",
    "部分",
}


class _FartherLeftError(Exception):
    """The words given to a left-edge walk end before the walk does."""


@dataclass(slots=True)
class _Elem:
    """One element of a region chain written before a core (嘉兴市|桐乡市|医保局)."""

    start: int
    end: int
    name: str  # canonical division name, or the place as written (院桥镇, 上下王村)
    level: str  # country, province, prefecture, county, township, village, other
    region: Region | None = None
    located: str | None = None  # the division a quasi-region lies in


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    names: list[tuple[str, str]]  # (canonical, kind) per body named
    region: str | None
    rule: str
    key_start: int = -1
    chain: list[_Elem] = field(default_factory=list)
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


def _sentence_start(text: str, pos: int) -> int:
    best = 0
    for stop in "。！？!?\n；;":
        k = text.rfind(stop, 0, pos)
        if k + 1 > best:
            best = k + 1
    return best


class AgencyMatcher:
    """Finds AGENCY spans; resources are loaded by ``initialize``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.table: RegionTable | None = None
        self.keys: ahocorasick.Automaton | None = None
        self.full_names: ahocorasick.Automaton | None = None
        self.max_alias = 0

    # -- resources ----------------------------------------------------------------

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        self.table = load_regions()
        self.surfaces = self.table.surface_index()
        self.max_alias = max(len(s) for s in self.surfaces)
        keys = ahocorasick.Automaton()
        for key in abbreviation_index():
            if len(key) >= 2:
                keys.add_word(key, key)
        keys.make_automaton()
        self.keys = keys
        full = ahocorasick.Automaton()
        for surface, rows in self.surfaces.items():
            if len(surface) >= 3 and any(
                r.name == surface and r.level != "country" for r in rows
            ):
                full.add_word(surface, surface)
        full.make_automaton()
        self.full_names = full
        segmenter()

    # -- the component --------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if self.keys is None:
            self.initialize()
        text = doc_text(doc)
        if not text:
            return doc
        ctx = doc._.ctx
        self._doc = doc
        self._words = doc_words(doc)
        self._mentions = self._region_mentions(doc)
        cands = self._lexicon_candidates(text, ctx)
        cands += self._central_committee(text)
        cands += self._publication(text, ctx)
        chosen = _select(cands)
        extra: list[_Cand] = []
        for cand in chosen:
            extra += self._coordinated(text, cand, ctx)
            extra += self._parents(cand)
        extra += self._sub_bodies(text, chosen + extra)
        taken = chosen + extra
        taken += self._suffix_names(doc, text, taken)
        taken += self._patterned(text)
        taken += self._company_units(text, taken)
        taken += self._quoted_branches(text, taken)
        taken += self._bare_sub_bodies(text, taken)
        refs = self._references(text, taken)
        taken += refs + self._sub_bodies(text, refs)
        _short_company_names(taken)
        # a span's payload is keyed by its offsets (spaCy's Span extensions), so two
        # bodies are never put on the same characters: the same name is one span, a
        # joint mention (纪委监委) puts its first body on its first part (省纪委)
        used = {(s.start_char, s.end_char) for s in kg_spans(doc)}
        for cand in sorted(taken, key=lambda c: (c.start, -c.end)):
            mention = cand.extra.pop("mention", None) or text[cand.start : cand.end]
            count = len(cand.names)
            for i, (canonical, kind) in enumerate(cand.names):
                end = cand.end
                if i < count - 1 and cand.key_start >= cand.start:
                    end = cand.key_start + len(cand.key) * (i + 1) // count
                if (cand.start, end) in used:
                    continue
                used.add((cand.start, end))
                add_span(
                    doc,
                    cand.start,
                    end,
                    LABEL,
                    canonical,
                    cand.rule,
                    kind=kind,
                    region=cand.region,
                    mention=mention,
                    **cand.extra,
                )
        return doc

    # -- regions in the text ------------------------------------------------------------

    def _region_mentions(self, doc: Doc) -> list[tuple[int, int, Region]]:
        """Divisions named in the doc: REGION spans when kg_regions ran, and full names."""
        table = self.table
        year = doc._.ctx.year if doc._.ctx else None
        out: list[tuple[int, int, Region]] = []
        for span in span_rows(doc, "REGION"):
            rows = table.by_name(span.data.get("canonical") or "")
            if rows and rows[0].level != "country":
                out.append((span.start, span.end, rows[0]))
        for end, surface in self.full_names.iter_long(doc_text(doc)):
            rows = table.candidates(surface, year) or table.candidates(surface)
            if rows:
                out.append(
                    (end + 1 - len(surface), end + 1, self._best(rows, doc._.ctx))
                )
        out.sort(key=lambda m: (m[1], m[0]))
        return out

    def _best(self, rows, ctx, parent: Region | None = None) -> Region:
        """The row a surface most likely names here: under the written parent, in the
        paper's home region, current, higher level."""
        table = self.table
        home = ctx.home_names() if ctx is not None else set()
        year = ctx.year if ctx else None
        levels = {"country": 0, "province": 1, "prefecture": 2, "county": 3}

        def rank(r: Region):
            ups = {a.name for a in table.ancestors(r)}
            under_parent = parent is not None and parent.name in ups
            in_home = bool((ups | {r.name}) & home)
            current = r.valid_in(year) if year else (r.last_year or 9999) >= 2024
            return (not under_parent, not in_home, not current, levels.get(r.level, 4))

        return min(rows, key=rank)

    def _in_home(self, region: Region, ctx) -> bool:
        if ctx is None:
            return False
        home = ctx.home_names()
        return bool(
            ({a.name for a in self.table.ancestors(region)} | {region.name}) & home
        )

    def _alias_ending(
        self, text: str, end: int, parent: Region | None = None
    ) -> _Elem | None:
        """The longest division form or place name that ends at ``end``."""
        ctx = self._doc._.ctx
        year = ctx.year if ctx else None
        for size in range(min(self.max_alias, end), 1, -1):
            surface = text[end - size : end]
            if surface in QUASI_REGIONS:
                return _Elem(
                    end - size, end, surface, "province", None, QUASI_REGIONS[surface]
                )
            rows = self.surfaces.get(surface)
            if not rows:
                continue
            current = [
                r
                for r in rows
                if r.level == "country"
                or (r.valid_in(year) if year else (r.last_year or 9999) >= 2024)
            ]
            region = self._best(current or rows, ctx, parent)
            if (
                size == 2
                and parent is None
                and not self._in_home(region, ctx)
                and (
                    (region.name != surface and region.level == "county")
                    or (
                        region.name == surface
                        and self.table.is_ambiguous_short(surface)
                    )
                )
            ):
                return (
                    None  # 大英|博物馆, 新区: a county's bare short form, far from home
                )
            return _Elem(end - size, end, region.name, region.level, region)
        return None

    def _place_ending(self, text: str, end: int) -> _Elem | None:
        """A township or village (not in the division table) ending at ``end``: a
        REGION span of kg_regions, else a short name before a place suffix that
        follows a division or another place (黄岩区|院桥镇, 鞋塘办事处|上下王村)."""
        for span in span_rows(self._doc, "REGION"):
            if span.end == end and span.data.get("level") in (
                "township",
                "village",
                "other",
            ):
                return _Elem(span.start, end, text[span.start : end], span.data["level"])
        for suffix, level in _PLACE_LEVEL_LONGEST_FIRST:
            if not text.endswith(suffix, 0, end):
                continue
            stem_end = end - len(suffix)
            if level == "other" and self._alias_ending(text, stem_end) is not None:
                elem = self._alias_ending(text, stem_end)
                return _Elem(
                    elem.start, end, text[elem.start : end], level
                )  # 兰州|新区
            for size in (2, 3, 4):
                start = stem_end - size
                if start < 0:
                    break
                if any(
                    ch in _NOT_IN_NAME or not _HAN.match(ch)
                    for ch in text[start:stem_end]
                ):
                    break
                if (
                    text.endswith(tuple(_PLACE_LEVEL), 0, start)
                    or self._alias_ending(text, start) is not None
                ):
                    return _Elem(start, end, text[start:end], level)
        return None

    def _chain(self, text: str, end: int) -> list[_Elem]:
        """Regions and places written right before ``end``, outermost first."""
        chain: list[_Elem] = []
        pos = end
        while pos > 0 and len(chain) < 5:
            found = [
                e
                for e in (self._alias_ending(text, pos), self._place_ending(text, pos))
                if e is not None
            ]
            if not found:
                break
            elem = min(found, key=lambda e: e.start)  # 兰州新区 (a place) over 新区
            chain.insert(0, elem)
            pos = elem.start
        # re-pick each division under the one written before it (嘉兴市|桐乡市)
        for i in range(1, len(chain)):
            prev, cur = chain[i - 1], chain[i]
            if cur.region is not None and prev.region is not None:
                rows = self.surfaces.get(text[cur.start : cur.end]) or ()
                under = [
                    r
                    for r in rows
                    if prev.region.name in {a.name for a in self.table.ancestors(r)}
                ]
                if under:
                    region = self._best(under, self._doc._.ctx, prev.region)
                    chain[i] = _Elem(
                        cur.start, cur.end, region.name, region.level, region
                    )
        return chain

    def _marker_region(self, marker: str, pos: int, text: str, ctx) -> Region | None:
        """The region a bare level word (省, 市, 区 …) at ``pos`` stands for."""
        table = self.table

        def fits(r: Region) -> bool:
            name = r.name
            if marker == "省":
                return r.level == "province" and name.endswith("省")
            if marker == "自治区":
                return r.level == "province" and name.endswith("自治区")
            if marker == "市":
                return name.endswith("市") and r.level in (
                    "province",
                    "prefecture",
                    "county",
                )
            if marker in ("州", "自治州"):
                return r.level == "prefecture" and name.endswith("州")
            if marker == "盟":
                return r.level == "prefecture" and name.endswith("盟")
            if marker == "县":
                return r.level == "county" and name.endswith("县")
            if marker == "旗":
                return r.level == "county" and name.endswith("旗")
            if marker == "区":
                return (r.level == "county" and name.endswith("区")) or (
                    r.level == "province" and name.endswith("自治区")
                )
            return False

        sentence = _sentence_start(text, pos)
        before = [m for m in self._mentions if m[1] <= pos]
        for start, _, region in reversed(before):
            if start >= sentence and fits(region):
                return region
        if ctx is not None:
            # the paper's home region, then the article's dateline (本报兰州讯 … 市委)
            for name in (ctx.home_county, ctx.home_city, ctx.home_province,
                         *ctx.dateline_regions):
                if name:
                    rows = table.by_name(name)
                    if rows and fits(rows[0]):
                        return rows[0]
        for _, _, region in reversed(before):
            if fits(region):
                return region
        return None

    # -- naming -------------------------------------------------------------------

    def _prefix(self, region: Region) -> tuple[str | None, str | None]:
        """(region part of an agency name, level for expand_agency) of a division:
        districts keep their city (杭州市临安区), national for China."""
        if region.level == "country":
            return None, "national"
        name = region.name
        if region.level == "county" and name.endswith("区"):
            up = self.table.parent(region)
            if up is not None and up.level in ("prefecture", "province"):
                name = up.name + name
        if region.level == "province":
            from kg.resources.lexicons import MUNICIPALITIES

            return name, (None if name in MUNICIPALITIES else "province")
        return name, region.level

    def _bodies(
        self, prefix: str | None, key: str, level: str | None
    ) -> list[tuple[str, str]]:
        out = []
        for name, row in expand_agency_bodies(prefix, key, level=level):
            out.append((name, row.kind if row is not None else "other"))
        return out

    def _aligned(self, start: int, end: int) -> bool:
        """Whether start and end fall on jieba word boundaries (start == end: whether
        a word starts there)."""
        return self._words.is_bound(start) and self._words.is_bound(end)

    def _ends_word(self, pos: int) -> bool:
        """Whether a dictionary word of two or more characters ends at ``pos`` (开发区,
        社区), so the character before ``pos`` belongs to it."""
        tok = self._words.ending_at(pos)
        return tok is not None and len(tok[2]) >= 2 and word_freq(tok[2]) >= 5

    # -- 1. lexicon cores ---------------------------------------------------------------

    def _lexicon_candidates(self, text: str, ctx) -> list[_Cand]:
        out: list[_Cand] = []
        hits = sorted(
            ((end + 1 - len(k), end + 1, k) for end, k in self.keys.iter(text)),
            key=lambda h: (h[0], -h[1]),
        )
        blocked: list[tuple[int, int]] = []
        self._built = out
        for ks, ke, key in hits:
            if local_row(key) is None and any(s <= ks and ke <= e for s, e in blocked):
                continue  # 住建部 inside a bare 住建部门
            cand = self._lexicon_candidate(text, ks, ke, key, ctx)
            if cand is None:
                if local_row(key) is not None:
                    blocked.append((ks, ke))
                continue
            out.append(cand)
            for elem in cand.chain:
                if elem.region is not None and elem.region.level != "country":
                    self._mentions.append((elem.start, elem.end, elem.region))
            self._mentions.sort(key=lambda m: (m[1], m[0]))
        return out

    def _lexicon_candidate(
        self, text: str, ks: int, ke: int, key: str, ctx
    ) -> _Cand | None:
        row = local_row(key)
        national = national_row(key)
        if ks > 0 and any(
            r.level == "country" for r in self.surfaces.get(text[ks - 1 : ks + 1], ())
        ):
            return None  # 美|国防部长: a body of another country
        if row is None:
            if national is None:
                return None
            if (len(key) <= 2 and not self._aligned(ks, ke)) or (
                len(key) <= 3 and not self._aligned(ke, ke)
            ):
                return None  # 中办 inside 集中办理, 住建部 inside 住建部门
            branch = self._branch_after(text, ke, national)
            if branch is not None:
                return branch if branch.start == ks else None
            facility = _FACILITY_AFTER.match(text, ke)
            if facility is not None:
                # 中科院|安全可控信息技术产业化基地: it names a facility, a body of its
                # own when it is a base or park
                stem = text[ke : facility.start(1)]
                if facility.group(1) in _FACILITY_BODIES and not (
                    set(stem) & set("的和与及在对将把是为从向以")
                ):
                    return _Cand(
                        ks,
                        facility.end(),
                        [(text[ks : facility.end()], "other")],
                        None,
                        "agencies.facility",
                        ks,
                        key=key,
                    )
                return None
            region = None if national.note.startswith("international") else CHINA
            return _Cand(
                ks,
                ke,
                [(expand_agency(None, key), national.kind)],
                region,
                "agencies.national",
                ks,
                key=key,
            )
        embedded = _embedded_marker(key)
        chain = self._chain(text, ks)
        if embedded and chain:
            inner = chain[-1]
            if inner.region is None or not _fits_marker(inner.region, embedded):
                chain = []
        if chain and chain[-1].level == "country":
            if chain[-1].name != CHINA:
                return None  # 美国国务院: not ours to name
            chain = []
            national_named = True
        else:
            national_named = False
        start = chain[0].start if chain else ks
        if chain:
            return self._named_from_chain(text, row, key, ks, ke, chain)
        if not national_named:
            marker = embedded
            marker_start = ks
            if marker is None:
                marker = next(
                    (
                        m
                        for m in MARKERS
                        if text.startswith(m, ks - len(m)) and ks - len(m) >= 0
                    ),
                    None,
                )
                marker_start = ks - len(marker) if marker else ks
            if marker is not None:
                before = text[marker_start - 1] if marker_start > 0 else ""
                if before in _GENERIC_BEFORE:
                    return None  # 各市, 全省, 州市: every body of that kind
                if (
                    len(key) <= 2
                    and not embedded
                    and not self._aligned(marker_start, ke)
                ):
                    return (
                        None  # 市民|建设 is no 民建 (省委|书记 is one jieba word: fine)
                    )
                if self._ends_word(marker_start + len(marker)):
                    return (
                        None  # 开发区|管委会: the 区 ends a word, it is no level word
                    )
                region = self._marker_region(marker, marker_start, text, ctx)
                if region is None:
                    return None
                prefix, level = self._prefix(region)
                start = _party_prefix(text, marker_start, row)
                if before == "我" and start == marker_start:
                    start -= 1
                return _Cand(
                    start,
                    ke,
                    self._bodies(prefix, key, level),
                    region.name,
                    "agencies.level_word",
                    ks,
                    key=key,
                )
        # no region written: national bodies (外交部, 国家医保局) and national banks by
        # their short names (农业银行 -> 中国农业银行); a bare local core (住建部门, 政协,
        # 电视台, 供电公司) names no body
        if (
            national_named
            or row.is_national_only
            or (
                row.kind == "enterprise"
                and row.has_national
                and row.core.endswith("银行")
            )
        ):
            if len(key) <= 2 and not self._aligned(start, ke):
                return None
            return _Cand(
                start,
                ke,
                [(expand_agency(None, key), row.kind)],
                CHINA,
                "agencies.national",
                ks,
                key=key,
            )
        if row.kind == "enterprise" and key != row.core and len(key) >= 4:
            # 农商银行 without a region: the kind of bank, as the text names it
            return _Cand(
                ks,
                ke,
                [(row.core, row.kind)],
                None,
                "agencies.generic_bank",
                ks,
                key=key,
            )
        region = self._sibling_region(text, ks)
        if region is not None:
            prefix, level = self._prefix(region)
            return _Cand(
                ks,
                ke,
                self._bodies(prefix, key, level),
                region.name,
                "agencies.sibling",
                ks,
                key=key,
            )
        return None

    def _sibling_region(self, text: str, ks: int) -> Region | None:
        """The region of a bare core listed after another post: 市委常委、宣传部部长,
        省纪委常委、监委委员 (the 宣传部 of that 市委, the 监委 of that province)."""
        if ks < 2 or text[ks - 1] != "、":
            return None
        pos = ks - 1
        titles = title_index()
        for cand in reversed(self._built):
            if cand.end < pos and text[cand.end : pos] in titles:
                if not cand.region or cand.region == CHINA:
                    return None
                rows = self.table.by_name(cand.region)
                return rows[0] if rows else None
        return None

    def _branch_after(self, text: str, ke: int, row: AgencyCore) -> _Cand | None:
        """A national body's branch named after it: 中国人民银行|甘肃省|分行, 国家外汇
        管理局|甘肃省|分局 (the row's pattern puts the region after the national name)."""
        if not row.pattern or "{region}" not in row.pattern:
            return None
        head, tail = row.pattern.split("{region}", 1)
        if not tail or text[ke - len(head) : ke] != head:
            return None
        for size in range(min(self.max_alias, len(text) - ke), 1, -1):
            rows = self.surfaces.get(text[ke : ke + size])
            if rows and text.startswith(tail, ke + size):
                region = self._best(rows, self._doc._.ctx)
                prefix, _ = self._prefix(region)
                end = ke + size + len(tail)
                return _Cand(
                    ke - len(head),
                    end,
                    [(row.pattern.format(region=prefix), row.kind)],
                    region.name,
                    "agencies.branch",
                    ke - len(head),
                    key=head,
                )
        return None

    def _named_from_chain(
        self, text: str, row: AgencyCore, key: str, ks: int, ke: int, chain: list[_Elem]
    ) -> _Cand | None:
        inner = chain[-1]
        written = text[chain[0].start : ks]
        if (
            len(key) <= 2
            and not _embedded_marker(key)
            and not self._aligned(chain[0].start, ke)
        ):
            return None
        region_name = inner.located or inner.name
        if inner.region is not None and inner.level != "country":
            region_name = inner.region.name
        if row.kind == "enterprise" or inner.located:
            prefix, level = written, ("province" if inner.located else None)
            if inner.region is not None and row.kind == "enterprise" and row.pattern:
                prefix, level = self._prefix(inner.region)
        elif inner.region is None:  # a township, village or zone written out
            prefix = (
                text[inner.start : inner.end] if inner.level == "village" else written
            )
            level = inner.level if inner.level in ("township", "village") else None
        elif len(chain) >= 2 and key == row.core and not row.pattern:
            prefix, level = written, inner.region.level
        else:
            prefix, level = self._prefix(inner.region)
        start = _party_prefix(text, chain[0].start, row)
        names = self._bodies(prefix, key, level)
        return _Cand(
            start, ke, names, region_name, "agencies.region_prefix", ks, chain, key
        )

    # -- 1b. coordinated regions sharing a core ---------------------------------------

    def _coordinated(self, text: str, cand: _Cand, ctx) -> list[_Cand]:
        if not cand.chain or cand.rule != "agencies.region_prefix":
            return []
        row = local_row(cand.key)
        if row is None:
            return []
        out = []
        pos = cand.chain[0].start
        while pos > 0:
            conn = next(
                (c for c in _CONNECTORS if text.startswith(c, pos - len(c))), None
            )
            if conn is None:
                break
            elem = self._alias_ending(text, pos - len(conn))
            if elem is None or elem.level in ("country",):
                break
            surface = text[elem.start : elem.end]
            if elem.region is not None and self.table.is_ambiguous_short(surface):
                break
            made = self._named_from_chain(
                text, row, cand.key, elem.end, elem.end, [elem]
            )
            if made is None:
                break
            made.start, made.end = elem.start, cand.end
            made.rule = "agencies.coordinated"
            made.extra["mention"] = surface + "(" + cand.key + ")"
            out.append(made)
            pos = elem.start
        return out

    # -- 1c. central committee in a list: 中央、省委 -----------------------------------

    def _central_committee(self, text: str) -> list[_Cand]:
        out = []
        for m in re.finditer(r"(?<![党共])中央(?=[、和及](省|市|县|区|州)委)", text):
            out.append(
                _Cand(
                    m.start(),
                    m.end(),
                    [(expand_agency(None, "党中央"), "party")],
                    CHINA,
                    "agencies.central_in_list",
                    m.start(),
                    key="中央",
                )
            )
        return out

    # -- 2. the paper itself --------------------------------------------------------

    def _publication(self, text: str, ctx) -> list[_Cand]:
        paper = ctx.publication if ctx is not None else None
        if not paper:
            return []
        region = ctx.home_region
        out = []
        for m in re.finditer(re.escape(paper) + "|本报", text):
            out.append(
                _Cand(
                    m.start(),
                    m.end(),
                    [(paper, "media")],
                    region,
                    "agencies.publication",
                    m.start(),
                    key=m.group(),
                )
            )
        return out

    # -- 3. sub-bodies and parents ------------------------------------------------------

    def _parents(self, cand: _Cand) -> list[_Cand]:
        """省政府新闻办 names 省政府 too; 市政协党组 names 市政协."""
        row = local_row(cand.key) if cand.key else None
        if row is None or cand.rule not in (
            "agencies.region_prefix",
            "agencies.level_word",
        ):
            return []
        for size in range(len(cand.key) - 1, 1, -1):
            head = cand.key[:size]
            parent = local_row(head)
            if parent is None or parent is row:
                continue
            if (
                row.core.startswith(parent.core)
                and row.core[len(parent.core) :] in _COMPOUND_TAILS
            ):
                canonical = cand.names[0][0]
                tail = row.core[len(parent.core) :]
                name = canonical[: -len(tail)] if canonical.endswith(tail) else None
                if not name:
                    return []
                cand.extra["parent"] = name
                return [
                    _Cand(
                        cand.start,
                        cand.key_start + size,
                        [(name, parent.kind)],
                        cand.region,
                        "agencies.parent",
                        cand.key_start,
                        cand.chain,
                        head,
                    )
                ]
        return []

    def _sub_bodies(self, text: str, found: list[_Cand]) -> list[_Cand]:
        out: list[_Cand] = []
        by_start = {c.start: c for c in found}
        for cand in found:
            if cand.rule == "agencies.publication" or len(cand.names) == 0:
                continue
            end = cand.end
            parent = cand.names[0][0]
            m = _STATIONED.match(text, end)
            if m is not None:
                target = by_start.get(m.start(1))
                if target is not None and target.end == m.end(1):
                    where = target.names[0][0]
                elif _PLACE_RE.search(m.group(1)) or self._alias_ending(text, m.end(1)):
                    where = m.group(1)
                else:
                    where = None
                if where is not None:
                    sender = "".join(n for n, _ in cand.names)
                    unit = m.group(3)
                    name = sender + "驻" + where + (m.group(2) or "") + unit
                    kind = _STATIONED_KIND.get(unit, "other")
                    out.append(
                        _Cand(
                            cand.start,
                            m.end(),
                            [(name, kind)],
                            cand.region,
                            "agencies.stationed",
                            cand.key_start,
                            key=unit,
                            extra={"parent": parent},
                        )
                    )
                    out += self._listed_units(text, m.end(), sender, unit, kind, cand)
                continue
            for word, full, kind in SUB_BODIES:
                if (
                    text.startswith(word, end)
                    and not text.startswith("党组书记", end)
                    and not text.startswith("党组成员", end)
                ):
                    if parent.endswith(full) or (
                        word == "工会"
                        and cand.names[0][1] not in ("enterprise", "public_institution")
                    ):
                        break
                    out.append(
                        _Cand(
                            cand.start,
                            end + len(word),
                            [(parent + full, kind or cand.names[0][1])],
                            cand.region,
                            "agencies.sub_body",
                            cand.key_start,
                            key=word,
                            extra={"parent": parent},
                        )
                    )
                    break
            else:
                m = _TASK_FORCE.match(text, end)
                if (
                    m is not None
                    and not any(
                        ch in _NOT_IN_NAME or not _HAN.match(ch) for ch in m.group(1)
                    )
                    and not any(ch in "要将对在是把" for ch in m.group(1))
                ):
                    out.append(
                        _Cand(
                            cand.start,
                            m.end(),
                            [(parent + m.group(), cand.names[0][1])],
                            cand.region,
                            "agencies.task_force",
                            cand.key_start,
                            key="专班",
                            extra={"parent": parent},
                        )
                    )
        return out

    def _listed_units(
        self, text: str, pos: int, sender: str, unit: str, kind: str, cand: _Cand
    ) -> list[_Cand]:
        """Units of the same sender listed after one (省总工会驻马河镇杨营村工作队队长…,
        宏伟乡井儿村工作队队长…): the sender and 驻 are written once for all."""
        out = []
        end = text.find("。", pos)
        end = len(text) if end < 0 else end
        pattern = re.compile(
            r"(?<=[,，、])([\u4e00-\u9fff]{2,10}?(?:村|社区|镇|乡|街道))" + unit
        )
        for m in pattern.finditer(text, pos, end):
            place = m.group(1)
            if any(ch in _NOT_IN_NAME for ch in place):
                continue
            out.append(
                _Cand(
                    m.start(),
                    m.end(),
                    [(sender + "驻" + place + unit, kind)],
                    cand.region,
                    "agencies.stationed_listed",
                    m.start(),
                    key=unit,
                    extra={"parent": cand.names[0][0]},
                )
            )
        return out

    # -- 4b. bodies named by a pattern of their own ------------------------------

    def _patterned(self, text: str) -> list[_Cand]:
        """Delegations to the National People's Congress (十三届全国人大二次会议
        甘肃代表团), numbered engineering bureaus (中铁二十局), N人论坛 think tanks."""
        out = []
        for m in _DELEGATION.finditer(text):
            rows = self.surfaces.get(m.group(3))
            if not rows:
                continue  # a delegation of a province (甘肃代表团)
            name = (
                f"第{m.group(1)}届全国人民代表大会第{m.group(2)}次会议{m.group(3)}代表团"
            )
            region = self._best(rows, self._doc._.ctx).name
            out.append(
                _Cand(m.start(), m.end(), [(name, "legislature")], region,
                      "agencies.delegation", m.start(), key="代表团",
                      extra={"parent": "全国人民代表大会"})
            )
        for m in _BUREAU.finditer(text):
            out.append(
                _Cand(m.start(), m.end(), [(m.group(), "enterprise")], None,
                      "agencies.bureau", m.start(), key=m.group())
            )
        for pattern in (_PLACE_ROOM, _PLACE_TEAM):
            for m in pattern.finditer(text):
                start = m.start(1)
                while start < m.end(1) - 4 and (
                    text[start] in _BEFORE_PLACE or not self._words.is_bound(start)
                ):
                    start += 1  # 在|锦北街道
                place = text[start : m.end(1)]
                if not self._words.is_bound(start) or any(
                    ch in _NOT_IN_NAME for ch in place
                ):
                    continue
                if pattern is _PLACE_ROOM:
                    name = place + "“" + m.group(2) + "”" + m.group(3)
                else:  # the span is the team's word, the place is further left
                    name, start = place + m.group(2), m.start(2) - 1
                out.append(
                    _Cand(start, m.end(), [(name, "other")], place,
                          "agencies.place_unit", start, key=m.group(2),
                          extra={"mention": text[m.start(2) - 1 : m.end()]})
                )
        for m in _FORUM.finditer(text):
            if any(ch in _NOT_IN_NAME for ch in m.group()):
                continue
            out.append(
                _Cand(m.start(), m.end(), [(m.group(), "other")], None,
                      "agencies.forum", m.start(), key="论坛")
            )
        return out

    def _company_units(self, text: str, found: list[_Cand]) -> list[_Cand]:
        """A station or branch written right after its company's full name
        (…经营有限公司|义亭液化气储配站): the company's name and the unit's."""
        out = []
        for cand in found:
            if cand.rule != "agencies.suffix" or not cand.names[0][0].endswith("公司"):
                continue
            m = _COMPANY_UNIT.match(text, cand.end)
            if m is None or not self._words.is_bound(m.end()):
                continue
            if any(ch in _NOT_IN_NAME for ch in text[cand.end : m.end()]):
                continue
            out.append(
                _Cand(cand.start, m.end(),
                      [(cand.names[0][0] + m.group(), "enterprise")],
                      cand.region, "agencies.company_unit", cand.start, key=m.group(1),
                      extra={"parent": cand.names[0][0], "mention": m.group()})
            )
        return out

    def _bare_sub_bodies(self, text: str, found: list[_Cand]) -> list[_Cand]:
        """Sub-bodies written without their body.

        A bare 党组 is the party group of the last body of the paragraph that has
        one, named 中共 + its name + 党组 (the official form); a bare 办公室 in a list
        (及办公室、各专委会) is the office of the last body of the sentence; a unit
        set up (设立法律援助办公室) in an article about a body is that body's: the
        body the article names most."""
        out = []
        named = [
            c for c in found
            if c.names and c.rule not in ("agencies.publication", "agencies.reference")
        ]

        def last_before(pos: int, stop: int, kinds) -> _Cand | None:
            before = [
                c for c in named
                if stop <= c.start and c.end <= pos and c.names[0][1] in kinds
            ]
            return max(before, key=lambda c: c.end) if before else None

        for m in _BARE_PARTY_GROUP.finditer(text):
            para = text.rfind("\n", 0, m.start()) + 1
            body = last_before(m.start(), para, _HAS_PARTY_GROUP)
            if body is None:
                continue
            parent = body.names[0][0]
            out.append(
                _Cand(m.start(), m.end(), [("中共" + parent + "党组", "party")],
                      body.region, "agencies.bare_sub_body", m.start(), key="党组",
                      extra={"parent": parent})
            )
        for m in _BARE_OFFICE.finditer(text):
            body = last_before(
                m.start(), _sentence_start(text, m.start()),
                _HAS_PARTY_GROUP | {"party"},
            )
            if body is None or body.names[0][0].endswith("办公室"):
                continue
            parent, kind = body.names[0]
            out.append(
                _Cand(m.start(), m.end(), [(parent + "办公室", kind)], body.region,
                      "agencies.bare_sub_body", m.start(), key="办公室",
                      extra={"parent": parent})
            )
        for m in _AT_CENTRE.finditer(text):
            stem = m.group(1)
            if (
                any(ch in _NOT_IN_NAME for ch in stem)
                or not self._words.is_bound(m.start(1))
                or not self._words.is_bound(m.end())
                or any(stem[:k] in self.surfaces for k in range(2, len(stem)))
                or any(c.start < m.end() and m.start(1) < c.end for c in found)
            ):
                continue
            para = text.rfind("\n", 0, m.start()) + 1
            body = last_before(m.start(), para, _HAS_PARTY_GROUP)
            rows = self.table.by_name(body.region) if body and body.region else None
            if not rows or rows[0].level == "country":
                continue
            prefix, _ = self._prefix(rows[0])
            out.append(
                _Cand(m.start(1), m.end(), [(prefix + m.group(), "public_institution")],
                      rows[0].name, "agencies.local_centre", m.start(1), key="中心")
            )
        counts: dict[str, int] = {}
        for c in named:
            if c.names[0][1] in _HAS_PARTY_GROUP and c.region and c.region != CHINA:
                counts[c.names[0][0]] = counts.get(c.names[0][0], 0) + 1
        for m in _SET_UP.finditer(text):
            if not counts or any(
                c.start < m.end() and m.start(1) < c.end for c in named
            ):
                continue
            top = max(counts.values())
            if top < 2 or list(counts.values()).count(top) > 1:
                continue  # no body the article is about
            parent = next(n for n, k in counts.items() if k == top)
            body = next(c for c in named if c.names[0][0] == parent)
            unit = m.group(1) + m.group(2)
            out.append(
                _Cand(m.start(1), m.end(), [(parent + unit, body.names[0][1])],
                      body.region, "agencies.set_up", m.start(1), key=m.group(2),
                      extra={"parent": parent})
            )
        return out

    # -- 5. references and party branches in quotes ------------------------------------

    def _references(self, text: str, found: list[_Cand]) -> list[_Cand]:
        """该公司, 该集团, 该局: the nearest body of that kind named before."""
        out = []
        for m in _REFERENCE.finditer(text):
            head = m.group(1)
            before = [
                c
                for c in found
                if c.end <= m.start()
                and c.names
                and c.rule not in ("agencies.publication",)
            ]
            for cand in sorted(before, key=lambda c: c.end, reverse=True):
                name, kind = cand.names[0]
                if (head in ("公司", "企业") and kind == "enterprise") or name.endswith(
                    head
                ):
                    out.append(
                        _Cand(
                            m.start(),
                            m.end(),
                            [cand.names[0]],
                            cand.region,
                            "agencies.reference",
                            m.start(),
                            key=head,
                        )
                    )
                    break
        return out

    def _quoted_branches(self, text: str, found: list[_Cand]) -> list[_Cand]:
        """A party branch named in quotes (纳入“青苗党支部”培养)."""
        out = []
        for m in _QUOTED_BRANCH.finditer(text):
            if any(c.start < m.end() and m.start() < c.end for c in found):
                continue
            out.append(
                _Cand(
                    m.start(1),
                    m.end(1),
                    [(m.group(1), "party")],
                    None,
                    "agencies.quoted_branch",
                    m.start(1),
                    key=m.group(2),
                )
            )
        return out

    # -- 4. names found by their suffix ---------------------------------------------

    def _suffix_names(self, doc: Doc, text: str, taken: list[_Cand]) -> list[_Cand]:
        words = doc_words(doc)
        out: list[_Cand] = []
        occupied = [(c.start, c.end) for c in taken]
        for m in _SUFFIX_RE.finditer(text):
            end = m.end()
            # the longest suffix ending here wins (股份有限公司 over 公司)
            if _SUFFIX_RE.match(text, end):
                continue  # 控股集团|有限公司: the name goes on to its legal form
            if any(s < end and m.start() < e for s, e in occupied):
                continue
            if not words.is_bound(end):
                continue  # 大学|生, 公司|工会 is fine; 大学生 is one word
            # the words of the suffix's segment and the mark before it, where the left
            # edge mostly stops; else all it can reach (24 characters back)
            try:
                found = self._left_edge(text, words.tokens(
                    words.segment_start(end - 1) - 1, end), end, m.group())
            except _FartherLeftError:
                found = self._left_edge(text, words.tokens(
                    max(0, end - _REACH - 1), end), end, m.group())
            if found is None:
                continue
            start, region = found
            kind, strict = _SUFFIX_KIND[m.group()]
            name = text[start:end]
            if any(s < end and start < e for s, e in occupied):
                continue
            occupied.append((start, end))
            out.append(
                _Cand(
                    start,
                    end,
                    [(name, kind)],
                    region,
                    "agencies.suffix",
                    start,
                    key=m.group(),
                )
            )
        return out

    def _left_edge(
        self, text: str, tokens: list[Token], end: int, suffix: str
    ) -> tuple[int, str | None] | None:
        """Where a name ending at ``end`` starts, and the region it names.

        Walks left over jieba words that can be part of a name; verbs stop it unless a
        region stands right before them (山西|通用|航空…学院). ``tokens`` are the words
        up to ``end`` from a word boundary; raises _FartherLeftError when the walk reaches
        their first word and the text goes on before it within reach."""
        kind, strict = _SUFFIX_KIND[suffix]
        last = next(i for i, t in enumerate(tokens) if t[1] == end)
        suffix_start = tokens[last][1] - len(suffix)
        j = last
        while j > 0 and tokens[j][0] > suffix_start:
            j -= 1
        start = tokens[j][
            0
        ]  # the whole word holding the suffix (专科|学校 -> 专科学校)
        i = j - 1
        region: Region | None = None
        region_start = None
        verbs: list[int] = []  # verbs passed on the way
        limit = tokens[last][1] - _REACH
        while i >= 0:
            s, e, word, flag = tokens[i]
            if i == 0 and limit <= s > 0:
                raise _FartherLeftError
            if s < limit or any(ch in _NOT_IN_NAME for ch in word):
                break
            if word in _APPOSITIVE and start < suffix_start - 1:
                break
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if "某" in word or (
                flag in ("m", "mq")
                and (
                    any(ch in _CLASSIFIERS for ch in word)
                    or after is None
                    or after[3] in ("a", "b")
                    or i + 1 == j
                )
            ):
                break  # 一位|大型…公司, 深圳|一|银行, 某|股份制银行: a count, not a name
            if word in self.surfaces or word in QUASI_REGIONS:
                start = s
                rows = self.surfaces.get(word)
                if rows:
                    region = self._best(rows, self._doc._.ctx)
                    region_start = s
                i -= 1
                continue
            if flag == "a":
                # an adjective inside a name follows a noun (职工|健康|协会, 威拉|新|材料)
                if i > 0 and (
                    tokens[i - 1][3].startswith("n")
                    or tokens[i - 1][2] in self.surfaces
                ):
                    start = s
                    i -= 1
                    continue
                break
            if flag.startswith("v") and flag != "vn":
                # a verb may stand inside a name (山西|通用|航空, 协鑫|科技|控股|有限公司),
                # not before a region (授权|绍兴…); checked again below
                nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
                if nxt in self.surfaces or i == 0:
                    break
                verbs.append(i)
                start = s
                i -= 1
                continue
            if flag in _NAME_FLAGS or flag.startswith("n"):
                start = s
                i -= 1
                continue
            break
        by_start = {t[0]: t for t in tokens}
        while (
            start in by_start
            and start < suffix_start
            and (
                by_start[start][3] == "a"
                or (by_start[start][3].startswith("v") and by_start[start][3] != "vn")
            )
        ):
            start = by_start[start][1]  # a name does not start with a verb
        inside = [tokens[k] for k in verbs if tokens[k][0] >= start]
        first = by_start.get(start)
        if inside and not (
            first is not None
            and (first[2] in self.surfaces or first[3] in _PROPER_FLAGS)
        ):
            start = max(
                t[1] for t in inside
            )  # 工作经验|得到|全国…: it starts after the verb
        if region_start is not None and region_start < start:
            region, region_start = None, None
        # leading numerals, quantifiers and generic words are no part of the name
        for s, e, word, flag in tokens[i + 1 :]:
            if s < start:
                continue
            if s >= suffix_start or not (
                flag in ("m", "q", "mq") or word in _LEADING or word in _APPOSITIVE
            ):
                break
            start = e
        stem = text[start:suffix_start]
        if len(stem) < 2 or stem in _GENERIC_STEM:
            return None
        words = [t[2] for t in tokens if start <= t[0] and t[1] <= suffix_start]
        if words and (
            words[0] in _GENERIC_STEM
            or words[0][:2] in _GENERIC_STEM
            or all(w in _GENERIC_STEM or w in _APPOSITIVE for w in words)
        ):
            return None  # 国有资本运营公司, 多家代征银行: a kind, not a name
        if stem[0] in "该本其这各此":
            return None
        if strict:
            if not (
                region_start == start
                or text.startswith(("全国", "国家", "中国"), start)
            ):
                return None
            after_region = next((t[1] for t in tokens if t[0] == start), start)
            if suffix_start - after_region < 2:
                return None  # 常德|市中心: a region and a common noun
        if kind == "media" and region_start != start:
            return None
        inner = [t for t in tokens if start <= t[0] and t[1] <= suffix_start]
        if tokens[j][0] < suffix_start:  # the part of the suffix's word before it
            inner.append(
                (
                    tokens[j][0],
                    suffix_start,
                    text[tokens[j][0] : suffix_start],
                    tokens[j][3],
                )
            )
        if start > 0 and text[start - 1] == "各":
            return None  # 各大拍卖公司: every one
        if suffix in _NEEDS_PROPER:
            if not any(self._distinctive(t, k > 0) for k, t in enumerate(inner)):
                return None  # 保险公司, 外资银行, 猎头公司: a kind of company, not one
            rest = [t[2] for t in inner if t[2] not in self.surfaces]
            if rest and all(w in _TYPE_WORDS or w in _GENERIC_STEM for w in rest):
                return None  # 香港|上市公司, 全国|股份制|商业银行
        if _inside_title_marks(text, start):
            return None  # 《超级学校霸王》: a title, not a body
        return start, (region.name if region is not None else None)

    def _distinctive(self, token, inside: bool) -> bool:
        """Whether a word can tell one body from others: a region, a proper name, a
        number inside the name (中铁|二十|局), or a word rare in jieba's dictionary
        (协鑫, 安融, 城投)."""
        _, _, word, flag = token
        if (
            word in self.surfaces
            or word in QUASI_REGIONS
            or word in ("中央", "国家", "全国")
        ):
            return True
        if flag in ("nr", "nrt", "nrfg", "ns", "nz", "nt", "eng") or (
            inside and flag == "m"
        ):
            return True
        return len(word) >= 2 and word_freq(word) < 80


def _inside_title_marks(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside 《…》."""
    opened = text.rfind("《", 0, pos)
    return opened >= 0 and text.rfind("》", opened, pos) < 0


def _short_company_names(found: list[_Cand]) -> None:
    """A company's short name written after its full name in the same text takes the
    full name (义乌市城建燃气经营有限公司 … 城建燃气公司)."""
    full = [
        c
        for c in found
        if c.rule == "agencies.suffix"
        and c.names[0][0].endswith(("有限公司", "有限责任公司"))
    ]
    for cand in found:
        if cand.rule != "agencies.suffix" or cand in full:
            continue
        name = cand.names[0][0]
        for head in ("公司", "集团"):
            stem = name[: -len(head)] if name.endswith(head) else None
            if stem and len(stem) >= 2:
                owner = [
                    c for c in full if stem in c.names[0][0] and c.names[0][0] != name
                ]
                if not owner:
                    owner = _owner_after_group(stem, full, found)
                if len(owner) == 1:
                    cand.names = [owner[0].names[0]]
                    cand.rule = "agencies.short_name"
                break


def _owner_after_group(
    stem: str, full: list[_Cand], found: list[_Cand]
) -> list[_Cand]:
    """The company a short name names when it opens with its group's short name:
    义乌城投|城建燃气 (公司) is the 义乌市城建燃气经营有限公司 of 义乌市城投集团."""
    groups = [
        c.names[0][0]
        for c in found
        if c.names and c.names[0][1] == "enterprise" and c.names[0][0].endswith("集团")
    ]
    for k in range(len(stem) - 2, 1, -1):
        head, rest = stem[:k], stem[k:]
        if not any(g[0] == head[0] and _subsequence(head, g) for g in groups):
            continue
        owner = [c for c in full if rest in c.names[0][0]]
        if owner:
            return owner
    return []


def _subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _embedded_marker(key: str) -> str | None:
    """The level word inside a key: 省 of 省委 and 团省委, 自治区 of 自治区党委."""
    if key.startswith("自治区"):
        return "自治区"
    if key[0] in "省市县区州旗盟" and len(key) >= 2 and key[1] in "委党":
        return key[0]
    if key.startswith("团") and len(key) >= 3 and key[1] in "省市县区州":
        return key[1]
    return None


def _fits_marker(region: Region, marker: str) -> bool:
    if marker == "区":
        return region.name.endswith("区")
    if marker == "州":
        return region.name.endswith("州")
    return region.name.endswith(marker)


def _party_prefix(text: str, start: int, row: AgencyCore) -> int:
    """Include a written 中共 or the template's own opening (国网, 中国人民政治协商会议)."""
    openings = ["中共"] if row.kind == "party" else []
    if row.pattern and not row.pattern.startswith("{region}"):
        openings.append(row.pattern.split("{region}")[0])
    for opening in sorted(openings, key=len, reverse=True):
        if opening and text.startswith(opening, start - len(opening)):
            return start - len(opening)
    return start


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest first (区委组织部 over 区委 + 组织部)."""
    chosen: list[_Cand] = []
    for cand in sorted(cands, key=lambda c: (-c.length, c.start)):
        if any(c.start < cand.end and cand.start < c.end for c in chosen):
            continue
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


@Language.factory("kg_agencies", assigns=["doc.spans"])
def make_agency_matcher(nlp: Language, name: str) -> AgencyMatcher:
    """Agencies with their full official names, kinds and regions."""
    return AgencyMatcher(nlp, name)
