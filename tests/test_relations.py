"""Relation rules on real articles: each relation names its rule and sentence."""

from __future__ import annotations

import pytest

from kg.ingest import build_page
from kg.nlp.pipeline import process_page
from kg.relations import meeting_events, page_relations


# fmt: off
MEETINGS = [
    ("西北地区工会工作协作机制第一次联席会议召开", ["西北地区工会工作协作机制第一次联席会议"]),
    ("习近平离京赴美国举行中美元首会晤", ["中美元首会晤"]),
    ("市政协第23次党组(扩大)会议和主席会议召开", ["市政协第23次党组(扩大)会议", "市政协第23次主席会议"]),
    ("兰州机场三期扩建工程飞行校验工作展开", []),
    ("甘肃基本医保参保率达99.12%", []),
]
# fmt: on


@pytest.mark.parametrize("title,events", MEETINGS)
def test_relations_meeting_events_from_headlines(title, events):
    assert meeting_events(title) == events


PAGE = """## 甘肃基本医保参保率达99.12%

本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉,截至今年3月底,我省基本医疗保险参保人数2443.33万人,其中职工基本医疗保险参保人数398.74万人。

省医保局提前谋划,成立工作专班,主动对接税务、民政等部门。此外,省医保局以“高效办成一件事”为抓手,主动对接省大数据中心、省卫生健康委和省公安厅等部门,实现参保业务“一网通办”。
"""


@pytest.fixture(scope="module")
def relations():
    page = build_page(PAGE, "t.txt", pub_date="2024-06-05")
    return page, page_relations(process_page(page))


def test_relations_agency_administers_program_it_acts_on(relations):
    page, rels = relations
    found = {(r.s, r.p, r.o) for r in rels}
    assert ("甘肃省医疗保障局", "administers", "职工基本医疗保险") in found


def test_relations_program_applies_to_the_articles_region_not_the_dateline(relations):
    page, rels = relations
    applies = {(r.s, r.o) for r in rels if r.p == "applies_to"}
    assert ("职工基本医疗保险", "甘肃省") in applies
    assert not any(o == "兰州市" for _, o in applies)


def test_relations_carry_their_rule_and_sentence(relations):
    page, rels = relations
    for rel in rels:
        prov = rel.provenance
        assert prov.extractor.startswith("relations.")
        article = page.articles[prov.article]
        sentence = next(s for s in article.sentences if s.index == prov.sentence)
        assert sentence.start <= prov.start < sentence.end


# fmt: off
SHORT_NAMES = [
    ("金泥集团", "金昌水泥集团", True),
    ("袍江控股集团", "绍兴袍江控股集团有限公司", True),
    ("省医保局", "甘肃省医疗保障局", False),   # an abbreviation the lexicon expands, not a fold
    ("兰州银行", "兰州中川国际机场", False),
    ("农业银行", "中国农业银行", False),
]
# fmt: on


@pytest.mark.parametrize("short,full,expected", SHORT_NAMES)
def test_resolve_short_company_names_fold_into_full_names(short, full, expected):
    from kg.resolve import short_name_of

    assert short_name_of(short, full) is expected


def test_relations_do_not_depend_on_what_was_extracted_before(seed_paths):
    from kg.api import extract_file

    first = extract_file(seed_paths[0]).to_dict()
    for path in seed_paths[1:]:
        extract_file(path)
    again = extract_file(seed_paths[0]).to_dict()
    assert first == again
