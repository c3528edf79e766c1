"""The hand-built lexicons load, are complete where the state structure is fixed,
and name agencies the way the gold guidelines want (full names from abbreviations)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kg.resources import resource_path
from kg.resources.lexicons import (
    AGENCY_KINDS,
    LEVELS,
    RANK_HINTS,
    TITLE_KINDS,
    AgencyCore,
    Title,
    abbreviation_index,
    agency_cores,
    agency_for,
    compound_surnames,
    expand_agency,
    expand_agency_all,
    expand_agency_bodies,
    honorific_prefixes,
    honorifics,
    is_honorific_form,
    is_surname_prefix,
    local_row,
    national_row,
    person_stopwords,
    region_level,
    split_surname,
    surnames,
    title_index,
    titles,
)

# The 26 组成部门 of the State Council after the March 2023 reform, full names.
STATE_COUNCIL_MINISTRIES = tuple("""
    中华人民共和国外交部 中华人民共和国国防部 中华人民共和国国家发展和改革委员会
    中华人民共和国教育部 中华人民共和国科学技术部 中华人民共和国工业和信息化部
    中华人民共和国国家民族事务委员会 中华人民共和国公安部 中华人民共和国国家安全部
    中华人民共和国民政部 中华人民共和国司法部 中华人民共和国财政部
    中华人民共和国人力资源和社会保障部 中华人民共和国自然资源部
    中华人民共和国生态环境部 中华人民共和国住房和城乡建设部
    中华人民共和国交通运输部 中华人民共和国水利部 中华人民共和国农业农村部
    中华人民共和国商务部 中华人民共和国文化和旅游部
    中华人民共和国国家卫生健康委员会 中华人民共和国退役军人事务部
    中华人民共和国应急管理部 中国人民银行 中华人民共和国审计署
""".split())

# Local surfaces the lexicon must know (厅/委/局, party, legislature, mass orgs …).
REQUIRED_SURFACES = tuple("""
    发改委 教育厅 教育局 科学技术厅 工信厅 公安厅 公安局 民政厅 司法厅 财政厅
    人社厅 人社局 自然资源厅 生态环境厅 住建厅 住建局 交通运输厅 水利厅 农业农村厅
    商务厅 文旅厅 卫健委 卫生健康委 退役军人事务厅 应急管理厅 审计厅 市场监管局
    广播电视局 体育局 统计局 医保局 林业和草原局 乡村振兴局 信访局 大数据中心
    大数据管理局 机关事务管理局 税务局 政务服务中心 人民政府 政府 政府办公厅
    新闻办公室 新闻办 省委 市委 县委 区委 纪委 纪委监委 组织部 宣传部 统战部 政法委
    党校 编办 人大 人大常委会 政协 法院 检察院 总工会 共青团 团委 妇联 残联 工商联
    科协 红十字会 消防救援支队 消防救援大队 供电公司
""".split())

JISHISHAN = "积石山保安族东乡族撒拉族自治县"

REQUIRED_TITLES = tuple("""
    书记 副书记 党组书记 党委书记 第一书记 常委 省长 副省长 市长 副市长 县长 区长
    州长 主任 副主任 主席 副主席 部长 副部长 厅长 副厅长 局长 副局长 处长 科长
    巡视员 副巡视员 一级巡视员 二级巡视员 调研员 秘书长 副秘书长 委员 组长 副组长
    队长 总经理 董事长 院长 校长 所长 站长 总书记 国家主席 总理 副总理 政治局常委
    政治局委员 纪检组组长 负责人 负责同志 记者 通讯员 实习生 摄影
""".split())


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    "name", ["agency_cores.tsv", "titles.tsv", "surnames.txt", "person_stopwords.txt"]
)
def test_resource_has_documenting_header(name: str) -> None:
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:40] if line.startswith("#")]
    assert lines[0].startswith("#") and len(header) >= 5
    assert any("ource" in line for line in header), "the header must name its sources"


# --------------------------------------------------------------------------- agencies


def test_agency_cores_load_and_are_typed() -> None:
    cores = agency_cores()
    assert len(cores) >= 200
    assert all(isinstance(row, AgencyCore) for row in cores)
    assert len({row.core for row in cores}) == len(cores)
    for row in cores:
        assert row.kind in AGENCY_KINDS, row
        assert row.levels and set(row.levels) <= set(LEVELS), row
        assert row.pattern is None or "{region}" in row.pattern, row


def test_every_kind_is_used() -> None:
    assert {row.kind for row in agency_cores()} == AGENCY_KINDS


@pytest.mark.parametrize("national_name", STATE_COUNCIL_MINISTRIES)
def test_every_state_council_ministry_is_present(national_name: str) -> None:
    rows = [r for r in agency_cores() if r.national_full == national_name]
    assert rows, national_name
    assert any(r.state_council == "组成部门" for r in rows)


def test_exactly_the_ministries_are_marked_as_such() -> None:
    marked = {r.national_full for r in agency_cores() if r.state_council == "组成部门"}
    assert marked == set(STATE_COUNCIL_MINISTRIES)


@pytest.mark.parametrize("surface", REQUIRED_SURFACES)
def test_required_surface_is_known(surface: str) -> None:
    assert surface in abbreviation_index()


def test_abbreviations_are_unique_across_families() -> None:
    """A short form may be shared only inside one family (法院: 高级/中级/基层)."""
    families: dict[str, set[str]] = defaultdict(set)
    for row in agency_cores():
        for key in (*row.surfaces, *row.national_abbreviations):
            families[key].add(row.family)
    clashes = {key: fams for key, fams in families.items() if len(fams) > 1}
    assert not clashes


def test_national_abbreviations_never_shadow_a_local_form() -> None:
    local = {key for row in agency_cores() for key in row.surfaces}
    national = {key for row in agency_cores() for key in row.national_abbreviations}
    national_only = {row.core for row in agency_cores() if row.is_national_only}
    assert not (local & national) - national_only


def test_ministry_families_have_province_and_local_rows() -> None:
    """Every local 组成部门 has a province row and a prefecture/county row."""
    by_family: dict[str, list[AgencyCore]] = defaultdict(list)
    for row in agency_cores():
        by_family[row.family].append(row)
    for name in STATE_COUNCIL_MINISTRIES:
        rows = by_family[name]
        if all(r.is_national_only for r in rows):
            continue  # 外交部, 国防部
        assert any(r.exists_at("province") for r in rows), name
        assert any(r.exists_at("prefecture") or r.exists_at("county") for r in rows)


@pytest.mark.parametrize(
    ("region", "surface", "expected"),
    [
        ("甘肃省", "医保局", "甘肃省医疗保障局"),
        ("甘肃省", "省医保局", "甘肃省医疗保障局"),
        ("甘肃省", "医疗保障局", "甘肃省医疗保障局"),
        ("甘肃省", "住建厅", "甘肃省住房和城乡建设厅"),
        ("大同市", "政协", "中国人民政治协商会议大同市委员会"),
        ("大同市", "市政协", "中国人民政治协商会议大同市委员会"),
        ("甘肃省", "人大常委会", "甘肃省人民代表大会常务委员会"),
        (None, "医保局", "国家医疗保障局"),
        ("国家", "医保局", "国家医疗保障局"),
        ("甘肃省", "国家医保局", "国家医疗保障局"),
        ("甘肃省", "卫生健康委", "甘肃省卫生健康委员会"),
        ("甘肃省", "卫健委", "甘肃省卫生健康委员会"),
        ("大同市", "人社局", "大同市人力资源和社会保障局"),
        ("临泽县", "县人社局", "临泽县人力资源和社会保障局"),
        ("甘肃省", "人社厅", "甘肃省人力资源和社会保障厅"),
        ("甘肃省", "总工会", "甘肃省总工会"),
        ("甘肃省", "纪委监委", "中共甘肃省纪律检查委员会"),
        ("大同市", "市委", "中国共产党大同市委员会"),
        ("甘肃省", "省委", "中国共产党甘肃省委员会"),
        ("杭州市临安区", "区委组织部", "中共杭州市临安区委员会组织部"),
        ("甘肃省", "省委统战部", "中共甘肃省委员会统一战线工作部"),
        ("甘肃省", "省政府", "甘肃省人民政府"),
        ("青海省", "省政府新闻办", "青海省人民政府新闻办公室"),
        ("甘肃省", "政府办", "甘肃省人民政府办公厅"),
        ("大同市", "政府办", "大同市人民政府办公室"),
        ("甘肃省", "税务局", "国家税务总局甘肃省税务局"),
        ("甘肃省", "省国资委", "甘肃省人民政府国有资产监督管理委员会"),
        ("甘肃省", "团省委", "中国共产主义青年团甘肃省委员会"),
        ("甘肃省", "省直机关工委", "中共甘肃省直属机关工作委员会"),
        ("孝源街道", "街道办", "孝源街道办事处"),
        ("苍南县", "供电公司", "国网苍南县供电公司"),
        ("甘肃省", "省农行", "中国农业银行甘肃省分行"),
        (None, "农业银行", "中国农业银行"),
        (None, "商务部", "中华人民共和国商务部"),
        (None, "外交部", "中华人民共和国外交部"),
        ("大同市", "外交部", "中华人民共和国外交部"),
        (None, "人社局", "中华人民共和国人力资源和社会保障部"),
        (None, "政协", "中国人民政治协商会议全国委员会"),
        (None, "全国人大", "全国人民代表大会"),
        (None, "中央办公厅", "中共中央办公厅"),
        (None, "中共中央政治局", "中国共产党中央委员会政治局"),
        (None, "新华社", "新华通讯社"),
        (None, "总工会", "中华全国总工会"),
        ("大同市", "政协党组", "中国人民政治协商会议大同市委员会党组"),
        ("甘肃省", "省住建厅灾后重建专班", "甘肃省住房和城乡建设厅灾后重建专班"),
        ("甘肃省", "省总工会办公室", "甘肃省总工会办公室"),
        ("温州市龙湾区", "区消防救援大队", "温州市龙湾区消防救援大队"),
    ],
)
def test_expand_agency(region: str | None, surface: str, expected: str) -> None:
    assert expand_agency(region, surface) == expected


@pytest.mark.parametrize(
    ("region", "surface", "expected"),
    [
        # 厅 is province-level, 局 prefecture/county-level: the region's level wins.
        ("甘肃省", "住建局", "甘肃省住房和城乡建设厅"),
        ("大同市", "住建厅", "大同市住房和城乡建设局"),
        ("临夏回族自治州", "住建局", "临夏回族自治州住房和城乡建设局"),
        (JISHISHAN, "住建局", JISHISHAN + "住房和城乡建设局"),
        ("甘肃省", "公安局", "甘肃省公安厅"),
        ("大同市", "公安厅", "大同市公安局"),
        ("甘肃省", "教育局", "甘肃省教育厅"),
        ("甘肃省", "法院", "甘肃省高级人民法院"),
        ("临夏回族自治州", "法院", "临夏回族自治州中级人民法院"),
        (JISHISHAN, "法院", JISHISHAN + "人民法院"),
        ("甘肃省", "经信局", "甘肃省经济和信息化厅"),
        # municipalities use 局/委 and are left alone
        ("北京市", "公安局", "北京市公安局"),
        ("北京市", "住建委", "北京市住房和城乡建设委员会"),
    ],
)
def test_expand_agency_keeps_level_forms(
    region: str, surface: str, expected: str
) -> None:
    assert expand_agency(region, surface) == expected


def test_level_override_for_prefecture_cities() -> None:
    assert expand_agency("大同市", "法院") == "大同市人民法院"  # 市 alone is ambiguous
    assert expand_agency("大同市", "法院", level="prefecture") == "大同市中级人民法院"


@pytest.mark.parametrize(
    ("region", "surface", "expected"),
    [
        ("甘肃省", "纪委监委", ("中共甘肃省纪律检查委员会", "甘肃省监察委员会")),
        ("甘肃省", "省纪委监委", ("中共甘肃省纪律检查委员会", "甘肃省监察委员会")),
        (
            None,
            "中央纪委国家监委",
            ("中国共产党中央纪律检查委员会", "中华人民共和国国家监察委员会"),
        ),
        ("甘肃省", "医保局", ("甘肃省医疗保障局",)),
    ],
)
def test_expand_agency_all(
    region: str | None, surface: str, expected: tuple[str, ...]
) -> None:
    assert expand_agency_all(region, surface) == expected


def test_expand_agency_bodies_gives_each_body_its_kind() -> None:
    bodies = expand_agency_bodies("甘肃省", "纪委监委")
    assert [(name, row.kind) for name, row in bodies] == [
        ("中共甘肃省纪律检查委员会", "party"),
        ("甘肃省监察委员会", "government"),
    ]


def test_local_and_national_rows() -> None:
    assert local_row("医保局").core == "医疗保障局"
    assert local_row("国家医保局") is None
    assert national_row("国家医保局").national_full == "国家医疗保障局"
    assert national_row("医保局") is None


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("亚太经合组织", "亚洲太平洋经济合作组织"), ("上合组织", "上海合作组织"), ("东盟", "东南亚国家联盟")],
)
def test_international_organisations(surface: str, expected: str) -> None:
    row = national_row(surface)
    assert row is not None and row.kind == "other" and row.note.startswith("international")
    assert expand_agency(None, surface) == expected


def test_unknown_surface_falls_back_to_region_plus_surface() -> None:
    assert expand_agency("甘肃省", "省某某研究会") == "甘肃省某某研究会"
    assert expand_agency(None, "某某研究会") == "某某研究会"
    with pytest.raises(ValueError):
        expand_agency("甘肃省", "  ")


@pytest.mark.parametrize(
    ("region", "surface", "kind"),
    [
        ("甘肃省", "省医保局", "government"),
        ("大同市", "市委", "party"),
        ("大同市", "市政协", "cppcc"),
        ("甘肃省", "省人大常委会", "legislature"),
        ("甘肃省", "法院", "court_procuratorate"),
        ("甘肃省", "总工会", "union_mass_org"),
        ("甘肃省", "大数据中心", "public_institution"),
        ("苍南县", "供电公司", "enterprise"),
        (None, "新华社", "media"),
    ],
)
def test_agency_for_gives_the_kind(region: str | None, surface: str, kind: str) -> None:
    row = agency_for(region, surface)
    assert row is not None and row.kind == kind


@pytest.mark.parametrize(
    ("name", "level"),
    [
        (None, "national"), ("国家", "national"), ("甘肃省", "province"),
        ("宁夏回族自治区", "province"), ("北京市", "municipality"), ("大同市", "city"),
        ("临夏回族自治州", "prefecture"), ("积石山保安族东乡族撒拉族自治县", "county"),
        ("平城区", "county"), ("马河镇", "township"), ("孝源街道", "township"),
        ("杨营村", "village"),
        ("某地", None),
    ],
)
def test_region_level(name: str | None, level: str | None) -> None:
    assert region_level(name) == level


# --------------------------------------------------------------------------- titles


def test_titles_load_typed_and_longest_first() -> None:
    items = titles()
    assert all(isinstance(t, Title) for t in items)
    lengths = [len(t.title) for t in items]
    assert lengths == sorted(lengths, reverse=True)
    assert len({t.title for t in items}) == len(items)
    for t in items:
        assert t.kind in TITLE_KINDS and t.rank_hint in RANK_HINTS, t
    order = [t.title for t in items]
    assert order.index("副省长") < order.index("省长")
    assert order.index("党组书记") < order.index("书记")


@pytest.mark.parametrize("title", REQUIRED_TITLES)
def test_required_title_present(title: str) -> None:
    assert title in title_index()


@pytest.mark.parametrize(
    ("title", "kind", "rank", "is_post"),
    [
        ("副省长", "government", "deputy", True),
        ("书记", "party", "leader", True),
        ("常委", "party", "member", True),
        ("记者", "media", "staff", True),
        ("通讯员", "media", "staff", True),
        ("负责人", "other", "staff", False),
        ("负责同志", "other", "staff", False),
    ],
)
def test_title_rows(title: str, kind: str, rank: str, is_post: bool) -> None:
    row = title_index()[title]
    assert (row.kind, row.rank_hint, row.is_post) == (kind, rank, is_post)


# --------------------------------------------------------------------------- persons


def test_surnames_load() -> None:
    names = surnames()
    assert len(names) >= 500
    assert {"王", "李", "张", "刘", "陈", "胡", "雷", "姚", "习"} <= names
    assert {"欧阳", "司马", "诸葛", "上官", "慕容"} <= compound_surnames()
    assert all(len(s) in (1, 2) for s in names)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("胡焯", ("胡", "焯")),
        ("雷思维", ("雷", "思维")),
        ("姚鸿波", ("姚", "鸿波")),
        ("欧阳修", ("欧阳", "修")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("欧阳", ("欧", "阳")),  # two characters: single surname + given name
        ("的确", None),
        ("我们", None),
        ("王", None),
    ],
)
def test_split_surname(name: str, expected: tuple[str, str] | None) -> None:
    assert split_surname(name) == expected
    assert is_surname_prefix(name) is (expected is not None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("李女士", True), ("王先生", True), ("欧阳先生", True), ("张某", True),
        ("张某某", True),
        ("刘师傅", True), ("赵阿姨", True), ("老李", True), ("小王", True),
        ("李永萍", False), ("胡焯", False), ("女士", False), ("先生", False),
        ("高效", False),
    ],
)
def test_is_honorific_form(text: str, expected: bool) -> None:
    assert is_honorific_form(text) is expected


def test_honorifics_and_stopwords() -> None:
    assert set("女士 先生 同志 老师 师傅 大爷 阿姨 某".split()) <= set(honorifics())
    lengths = [len(s) for s in honorifics()]
    assert lengths == sorted(lengths, reverse=True)
    assert set(honorific_prefixes()) == {"老", "小"}
    words = person_stopwords()
    assert set("文明 金山 高效 王牌 方面 常态 于是 周年 向前 全面 余元".split()) <= words
    assert not words & set(honorifics())


def test_stopwords_start_with_a_surname() -> None:
    """A stopword that cannot look like a name is dead weight."""
    names = surnames()
    assert all(w[0] in names or w[:2] in names for w in person_stopwords())
