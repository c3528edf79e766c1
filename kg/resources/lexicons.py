"""Typed, cached access to the hand-built lexicons: agencies, titles, person names.

No shipped NLP model knows that 省医保局 in a Gansu paper is 甘肃省医疗保障局, nor
lists 职务 titles (notes/nlp-engines.md §2.9, §4), so these tables are the project's
own. This module is the one place that turns their rows into objects and implements
the naming rules (厅 vs 局 by level, 政协/党委 templates, national names), so
extractors never hard-code an agency name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from kg.errors import ResourceError
from kg.resources import read_list, read_table

AGENCY_TABLE = "agency_cores.tsv"
TITLE_TABLE = "titles.tsv"
SURNAME_LIST = "surnames.txt"
STOPWORD_LIST = "person_stopwords.txt"

#: Agency kinds of gold/GUIDELINES.md.
AGENCY_KINDS = frozenset({
    "government", "party", "legislature", "cppcc", "court_procuratorate",
    "union_mass_org", "public_institution", "enterprise", "media", "other",
})
#: Title kinds (the body a title usually belongs to; a hint only).
TITLE_KINDS = frozenset({
    "government", "party", "legislature", "cppcc", "enterprise", "media", "other",
})
RANK_HINTS = frozenset({"leader", "deputy", "member", "staff"})
#: Administrative levels an agency core can exist at, top down.
LEVELS = ("national", "province", "prefecture", "county", "township", "village")

#: Region prefixes that mean "the national body" (None and "" too).
NATIONAL_PREFIXES = frozenset({"", "国家", "中央", "全国", "中国", "中华人民共和国"})
#: Province-level cities: their bodies use 局/委, not 厅, so no 厅/局 correction.
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})

# Level words a surface may start with (省医保局, 市政协, 县人社局); longest first.
_LEVEL_MARKERS = ("自治区", "自治州", "自治县", "自治旗", "地区", "街道",
                  "省", "市", "州", "县", "区", "盟", "旗", "乡", "镇", "村")

# Levels of the agency table a region of each level may use.
_COMPATIBLE = {
    "province": frozenset({"province"}),
    "municipality": frozenset({"province", "prefecture", "county"}),
    "prefecture": frozenset({"prefecture"}),
    "city": frozenset({"prefecture", "county"}),  # X市: prefecture or county level
    "county": frozenset({"county"}),
    "township": frozenset({"township"}),
    "village": frozenset({"village"}),
}

# Joint bodies one abbreviation names (合署办公). expand_agency returns the first
# (canonical) name only; expand_agency_all returns all of them.
_JOINT = {
    "纪委监委": ("纪委", "监委"),
    "中央纪委国家监委": ("中央纪委", "国家监委"),
}


def _split(field: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in field.split("|") if part.strip())


@dataclass(frozen=True)
class AgencyCore:
    """One row of agency_cores.tsv: a standard agency core and how to name it."""

    core: str
    abbreviations: tuple[str, ...]
    kind: str
    levels: tuple[str, ...]
    national_name: str
    national_abbreviations: tuple[str, ...]
    pattern: str | None
    state_council: str | None
    note: str

    @property
    def family(self) -> str:
        """Rows sharing a national body (住建厅, 住建局) form a family keyed by it."""
        return self.national_name or self.core

    @property
    def has_national(self) -> bool:
        return "national" in self.levels

    @property
    def is_national_only(self) -> bool:
        """True when no local body of this core exists (外交部, 新华社 …)."""
        return self.levels == ("national",)

    @property
    def national_full(self) -> str:
        """Full national name (国家 + core when the table leaves it empty)."""
        if self.national_name:
            return self.national_name
        return "国家" + self.core if self.has_national else self.core

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The core and its local abbreviations."""
        return (self.core, *self.abbreviations)

    def exists_at(self, level: str) -> bool:
        return level in self.levels

    def local_name(self, region: str) -> str:
        """Full name for a local region: pattern or region + core (no level check)."""
        if self.pattern:
            return self.pattern.format(region=region)
        return _join(region, self.core)


@dataclass(frozen=True)
class Title:
    """One row of titles.tsv."""

    title: str
    kind: str
    rank_hint: str
    note: str

    @property
    def is_post(self) -> bool:
        """False for role nouns and occupations (负责人, 医生) standing for a title."""
        return not (self.kind == "other" and self.rank_hint == "staff")


# --------------------------------------------------------------------------- agencies


@cache
def agency_cores() -> tuple[AgencyCore, ...]:
    """All agency cores in file order (validated once; a bad row is a ResourceError)."""
    cores: list[AgencyCore] = []
    seen: set[str] = set()
    for row in read_table(AGENCY_TABLE):
        core = row["core"].strip()
        levels = _split(row["levels"])
        where = f"{AGENCY_TABLE}: core {core!r}"
        if not core or core in seen:
            raise ResourceError(f"{where}: empty or duplicate core")
        if row["kind"] not in AGENCY_KINDS:
            raise ResourceError(f"{where}: unknown kind {row['kind']!r}")
        if not levels or not set(levels) <= set(LEVELS):
            raise ResourceError(f"{where}: bad levels {row['levels']!r}")
        pattern = row["pattern"].strip() or None
        if pattern is not None and "{region}" not in pattern:
            raise ResourceError(f"{where}: pattern lacks {{region}}")
        seen.add(core)
        cores.append(AgencyCore(
            core=core,
            abbreviations=_split(row["abbreviations"]),
            kind=row["kind"],
            levels=tuple(lv for lv in LEVELS if lv in levels),
            national_name=row["national_name"].strip(),
            national_abbreviations=_split(row["national_abbreviations"]),
            pattern=pattern,
            state_council=row["state_council"].strip() or None,
            note=row["note"].strip(),
        ))
    return tuple(cores)


@cache
def _local_index() -> Mapping[str, AgencyCore]:
    """Core or local abbreviation -> row; the first row in file order wins."""
    index: dict[str, AgencyCore] = {}
    for row in agency_cores():
        for key in row.surfaces:
            index.setdefault(key, row)
    return MappingProxyType(index)


@cache
def _national_index() -> Mapping[str, AgencyCore]:
    """Surfaces that always denote the national body: its abbreviations and name."""
    index: dict[str, AgencyCore] = {}
    for row in agency_cores():
        keys = list(row.national_abbreviations)
        if row.has_national or row.is_national_only:
            keys.append(row.national_full)
        for key in keys:
            index.setdefault(key, row)
    return MappingProxyType(index)


@cache
def abbreviation_index() -> Mapping[str, AgencyCore]:
    """Every known surface -> its row: cores, abbreviations, national forms.

    Local keys win over national ones when a string is both; within a family (rows
    sharing a national name) the first row in file order wins.
    """
    index = dict(_national_index())
    index.update(_local_index())
    return MappingProxyType(index)


@cache
def _families() -> Mapping[str, tuple[AgencyCore, ...]]:
    groups: dict[str, list[AgencyCore]] = {}
    for row in agency_cores():
        groups.setdefault(row.family, []).append(row)
    return MappingProxyType({k: tuple(v) for k, v in groups.items()})


def region_level(name: str | None) -> str | None:
    """Level of a region name from its suffix, without a gazetteer.

    Returns national, province, municipality, prefecture, city (a 市 of prefecture or
    county level), county, township, village, or None when the suffix says nothing.
    """
    if name is None or name.strip() in NATIONAL_PREFIXES:
        return "national"
    name = name.strip()
    if name in MUNICIPALITIES:
        return "municipality"
    if name.endswith(("省", "自治区", "特别行政区")) or name == "新疆生产建设兵团":
        return "province"
    if name.endswith(("州", "地区", "盟")):
        return "prefecture"
    if name.endswith("市"):
        return "city"
    if name.endswith(("县", "旗", "区", "特区", "林区")):
        return "county"
    if name.endswith(("乡", "镇", "街道", "苏木")):
        return "township"
    if name.endswith(("村", "社区", "嘎查")):
        return "village"
    return None


def _join(region: str, core: str) -> str:
    """region + core, merging a shared piece of 2+ characters (X街道 + 街道办事处)."""
    for k in range(min(len(region), len(core)), 1, -1):
        if region.endswith(core[:k]):
            return region + core[k:]
    return region + core


def _strip_level(surface: str) -> str:
    """Drop a leading level word (省医保局 -> 医保局) when something is left."""
    for marker in _LEVEL_MARKERS:
        if surface.startswith(marker) and len(surface) > len(marker):
            return surface[len(marker):]
    return surface


def _resolve(surface: str) -> tuple[AgencyCore | None, str]:
    """The row a surface names and any remainder (住建厅专班 -> 住建厅, 专班).

    Tries the surface, then without its level word; exact keys first, then the
    longest key (2+ characters) that starts it. No match: (None, stripped surface).
    """
    index = _local_index()
    stripped = _strip_level(surface)
    candidates = (surface, stripped) if stripped != surface else (surface,)
    for cand in candidates:
        if cand in index:
            return index[cand], ""
    best: tuple[int, AgencyCore, str] | None = None
    for cand in candidates:
        for k in range(len(cand) - 1, 1, -1):
            row = index.get(cand[:k])
            if row is not None:
                if best is None or k > best[0]:
                    best = (k, row, cand[k:])
                break
    if best is not None:
        return best[1], best[2]
    return None, stripped


def _at_level(row: AgencyCore, level: str | None) -> AgencyCore:
    """The family member existing at the region's level (省 + 住建局 -> 住建厅)."""
    allowed = _COMPATIBLE.get(level or "")
    if allowed is None or allowed & set(row.levels):
        return row
    siblings = [r for r in _families()[row.family] if allowed & set(r.levels)]
    if not siblings:
        return row

    def shared_prefix(other: AgencyCore) -> int:
        n = 0
        for a, b in zip(row.core, other.core, strict=False):
            if a != b:
                break
            n += 1
        return n

    return max(siblings, key=shared_prefix)  # max keeps the first of equals: file order


def agency_for(
    region: str | None, surface: str, *, level: str | None = None
) -> AgencyCore | None:
    """The row expand_agency would use for this mention (for its kind), or None."""
    surface = surface.strip()
    if surface in _national_index() and surface not in _local_index():
        return _national_index()[surface]
    row, _ = _resolve(surface)
    if row is None:
        return None
    lvl = level or region_level(region)
    if lvl == "national" or row.is_national_only:
        return row
    return _at_level(row, lvl)


def expand_agency(
    region: str | None, core_surface: str, *, level: str | None = None
) -> str:
    """Full official name of an agency mention, given the region its prefix stands for.

    ``region`` is the resolved region (省 in 甘肃日报 -> 甘肃省); None or 国家/中央/全国
    means the national body. ``level`` overrides the level guessed from the region's
    suffix (pass "prefecture" for a prefecture-level 市 when a gazetteer knows it).

    ("甘肃省", "医保局") -> 甘肃省医疗保障局;
    ("大同市", "政协") -> 中国人民政治协商会议大同市委员会;
    ("大同市", "市委") -> 中国共产党大同市委员会; (None, "医保局") -> 国家医疗保障局.
    National surfaces (国家医保局, 商务部, 全国人大) ignore the region. A joint
    abbreviation (纪委监委) gives its canonical first body; see expand_agency_all.
    An unknown surface gives region + surface (level word dropped), best effort.
    Coordinated mentions (省委省政府) must be split by the caller.
    """
    surface = core_surface.strip()
    if not surface:
        raise ValueError("expand_agency: empty agency surface")
    national_index = _national_index()
    if surface in national_index and surface not in _local_index():
        return national_index[surface].national_full
    place = (region or "").strip()
    national = place in NATIONAL_PREFIXES
    lvl = "national" if national else (level or region_level(place))
    row, rest = _resolve(surface)
    if row is None:
        return surface if national else _join(place, rest)
    if lvl == "national" or row.is_national_only:
        return row.national_full + rest
    return _at_level(row, lvl).local_name(place) + rest


def expand_agency_all(
    region: str | None, core_surface: str, *, level: str | None = None
) -> tuple[str, ...]:
    """All bodies a mention names: two for 纪委监委 (合署办公), else one."""
    surface = core_surface.strip()
    parts = _JOINT.get(surface) or _JOINT.get(_strip_level(surface))
    if parts is None:
        return (expand_agency(region, surface, level=level),)
    return tuple(expand_agency(region, part, level=level) for part in parts)


def expand_agency_bodies(
    region: str | None, core_surface: str, *, level: str | None = None
) -> tuple[tuple[str, AgencyCore | None], ...]:
    """Like expand_agency_all, with the row of each body (for its kind): the 纪委 of
    纪委监委 is a party body, the 监委 a state one."""
    surface = core_surface.strip()
    parts = _JOINT.get(surface) or _JOINT.get(_strip_level(surface)) or (surface,)
    return tuple((expand_agency(region, part, level=level),
                  agency_for(region, part, level=level)) for part in parts)


def local_row(surface: str) -> AgencyCore | None:
    """The row a core or local abbreviation names (医保局, 省委, 政协), or None."""
    return _local_index().get(surface)


def national_row(surface: str) -> AgencyCore | None:
    """The row a surface that always names a national body names (国家医保局, 商务部,
    党中央, 新华社), or None."""
    return _national_index().get(surface)


# --------------------------------------------------------------------------- titles


@cache
def titles() -> tuple[Title, ...]:
    """All titles, longest first (副省长 before 省长), file order among equals."""
    items: list[Title] = []
    seen: set[str] = set()
    for row in read_table(TITLE_TABLE):
        title = row["title"].strip()
        where = f"{TITLE_TABLE}: title {title!r}"
        if not title or title in seen:
            raise ResourceError(f"{where}: empty or duplicate title")
        if row["kind"] not in TITLE_KINDS:
            raise ResourceError(f"{where}: unknown kind {row['kind']!r}")
        if row["rank_hint"] not in RANK_HINTS:
            raise ResourceError(f"{where}: unknown rank_hint {row['rank_hint']!r}")
        seen.add(title)
        items.append(Title(title, row["kind"], row["rank_hint"], row["note"].strip()))
    return tuple(sorted(items, key=lambda t: -len(t.title)))


@cache
def title_index() -> Mapping[str, Title]:
    """Title string -> Title."""
    return MappingProxyType({t.title: t for t in titles()})


# --------------------------------------------------------------------------- persons


@cache
def surnames() -> frozenset[str]:
    """Single and compound surnames (surnames.txt, built by tools/build_surnames.py)."""
    return frozenset(read_list(SURNAME_LIST))


@cache
def compound_surnames() -> frozenset[str]:
    """The two-character surnames (欧阳, 司马 …)."""
    return frozenset(s for s in surnames() if len(s) == 2)


def split_surname(name: str) -> tuple[str, str] | None:
    """(surname, given name), or None when the name starts with no surname.

    A compound surname is preferred from three characters on (欧阳修 -> 欧阳 + 修);
    two characters are single surname + given name (欧阳 -> 欧 + 阳).
    """
    name = name.strip()
    if len(name) >= 3 and name[:2] in compound_surnames():
        return name[:2], name[2:]
    if len(name) >= 2 and name[0] in surnames():
        return name[0], name[1:]
    return None


def is_surname_prefix(name: str) -> bool:
    """True when the string is a known surname followed by one or more characters."""
    return split_surname(name) is not None


@cache
def _stopword_lines() -> tuple[str, ...]:
    return read_list(STOPWORD_LIST)


@cache
def honorifics() -> tuple[str, ...]:
    """Honorific suffixes (女士, 某 …), longest first; surname + one is no name."""
    lines = _stopword_lines()
    items = [line[1:] for line in lines if line.startswith("~") and len(line) > 1]
    return tuple(sorted(items, key=lambda s: -len(s)))


@cache
def honorific_prefixes() -> tuple[str, ...]:
    """Honorific prefixes (老, 小): one of them + surname is no full name either."""
    lines = _stopword_lines()
    return tuple(line[1:] for line in lines if line.startswith("^") and len(line) > 1)


@cache
def person_stopwords() -> frozenset[str]:
    """Ordinary words that start with a surname character (文明, 于是, 全面 …)."""
    return frozenset(line for line in _stopword_lines() if line[0] not in "~^")


def is_honorific_form(text: str) -> bool:
    """True for surname + honorific (李女士, 张某某) or prefix + surname (老李)."""
    text = text.strip()
    names = surnames()
    for suffix in honorifics():
        head = text[: -len(suffix)]
        if text.endswith(suffix) and head and head in names:
            return True
    for prefix in honorific_prefixes():
        tail = text[len(prefix):]
        if text.startswith(prefix) and tail and tail in names:
            return True
    return False
