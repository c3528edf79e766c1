"""Cutting pages into articles: headlines, leads, continuations, captions, bylines."""

from __future__ import annotations

import json

import pytest

from kg.eval import normalise
from kg.ingest import build_page
from kg.ingest.articles import lead_parts, parse_credits

# Headlines as printed on the seed pages, including the hard cases: a headline printed
# after its article (001, 002, 004), a headline repeated by PDF extraction (000), a
# column kicker above a headline (001, 003), a pen name under a headline (001).
# fmt: off
SEED_TITLES = [
    ("000_01d39a0b178f4c28.txt", "甘肃基本医保参保率达99.12%"),
    ("000_01d39a0b178f4c28.txt", "雷思维在兰州新区调研中央生态环境保护督察通报典型案例整改落实"),
    ("001_1054eb50c815fcae.txt", "绿水青山绘就美丽新画卷"),
    ("001_1054eb50c815fcae.txt", "瞄准“四大赛道” 加快转型发展"),
    ("001_1054eb50c815fcae.txt", "习近平离京赴美国举行中美元首会晤"),
    ("001_1054eb50c815fcae.txt", "多力齐发激活稳就业"),
    ("002_e78c950c36f9347a.txt", "青海省多措并举推动医保事业高质量发展"),
    ("002_e78c950c36f9347a.txt", "全市第三产业工作联席会议召开"),
    ("003_f2633e6295f9fc8d.txt", "激发人才动能,加快项目建设"),
    ("003_f2633e6295f9fc8d.txt", "2023杭州市福利彩票责任彩票报告正式发布"),
    ("004_adddd0f31746669f.txt", "金泥集团维护职工权益出实招"),
    ("004_adddd0f31746669f.txt", "职工心里的“温暖之家”"),
]
# fmt: on


@pytest.mark.parametrize("doc,title", SEED_TITLES)
def test_articles_find_seed_headline(seed_pages, doc, title):
    titles = [a.title for a in seed_pages[doc].articles]
    assert title in titles


def test_articles_headline_after_body_goes_to_its_article(seed_pages):
    page = seed_pages["001_1054eb50c815fcae.txt"]
    article = next(a for a in page.articles if a.title == "多力齐发激活稳就业")
    assert article.body.startswith("就业,一头连着经济发展")
    assert article.subtitle == "——本市抓好就业工作综述 ——池春水"
    assert [b.name for b in article.bylines] == ["董芳"]


@pytest.mark.parametrize("doc,kind,start", [
    ("000_01d39a0b178f4c28.txt", "caption", "近日,环县万亩紫花苜蓿迎来头茬收割期。"),
    ("000_01d39a0b178f4c28.txt", "continuation", "(接1版)对困境儿童"),
    ("001_1054eb50c815fcae.txt", "caption", "11月13日,广灵县东方亮"),
    ("002_e78c950c36f9347a.txt", "continuation", "(上接一版)格尔木市紧盯人居环境末梢"),
    ("002_e78c950c36f9347a.txt", "caption", "近日,市政设施管理处"),
])
def test_articles_cut_captions_and_continuations(seed_pages, doc, kind, start):
    matches = [a for a in seed_pages[doc].articles if a.body.startswith(start)]
    assert len(matches) == 1
    assert matches[0].kind == kind
    assert matches[0].title is None


def test_articles_continued_on_another_page_stop_before_the_marker(seed_pages):
    page = seed_pages["001_1054eb50c815fcae.txt"]
    article = next(a for a in page.articles if a.title == "习近平向2023两岸企业家峰会10周年年会致贺信")
    assert article.body.endswith("两岸同胞是命运共同体。")


def test_articles_title_recall_against_gold_is_at_least_090(seed_pages, gold_dir):
    found = total = 0
    for doc, page in seed_pages.items():
        gold = json.loads((gold_dir / doc.replace(".txt", ".json")).read_text("utf-8"))
        ours = {normalise(a.title) for a in page.articles if a.title}
        firsts = {normalise(a.body[:10]) for a in page.articles}
        for item in gold["articles"]:
            total += 1
            if item["title"]:
                found += normalise(item["title"]) in ours
            else:
                found += normalise(item["first_chars"][:10]) in {f[:10] for f in firsts}
    assert total >= 30
    assert found / total >= 0.9


# fmt: off
LEADS = [
    ("本报兰州6月4日讯(新甘肃·甘肃日报记者石丹丹)西北地区", "本报", "兰州", "6月4日", [("石丹丹", "记者")]),
    ("新华社北京11月14日电 11月14日晚,国家主席", "新华社", "北京", "11月14日", []),
    ("青海日报讯(记者 王菲菲)11月25日", "青海日报", None, None, [("王菲菲", "记者")]),
    ("本报讯 (记者 周鹏 石杰 实习生 戴东琦)3月15日上午", "本报", None, None,
     [("周鹏", "记者"), ("石杰", "记者"), ("戴东琦", "实习生")]),
]
# fmt: on


@pytest.mark.parametrize("text,source,place,date,credits", LEADS)
def test_articles_parse_leads_and_their_credits(text, source, place, date, credits):
    parts = lead_parts(text)
    assert parts is not None
    assert (parts["source"], parts["place"], parts["date"]) == (source, place, date)
    got = [(b.name, b.role) for b in parse_credits(parts["credit"] or "")]
    assert got == credits


# fmt: off
CREDITS = [
    ("□本报记者 韩云峰", [("韩云峰", "记者")]),
    ("新甘肃·甘肃日报通讯员 乔洁", [("乔洁", "通讯员")]),
    ("本报记者 于宏 通讯员 赵多献摄", [("于宏", "记者"), ("赵多献", "通讯员")]),
    ("骆进林 摄", [("骆进林", "摄影")]),
    ("王柯影 沈晓敏 殷新", [("王柯影", "作者"), ("沈晓敏", "作者"), ("殷新", "作者")]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", CREDITS)
def test_articles_parse_bylines_and_credits(text, expected):
    assert [(b.name, b.role) for b in parse_credits(text)] == expected


def test_articles_dateline_date_takes_the_year_of_the_issue():
    page = build_page("## 标题文字在此\n\n本报兰州6月4日讯(记者 刘健)今天上午,工作展开。",
                      "t.txt", pub_date="2024-06-05")
    article = page.articles[0]
    assert article.dateline_place == "兰州"
    assert article.dateline_date == "2024-06-04"
    assert article.dateline_regions == ["兰州市", "甘肃省"]
    assert page.publication.date == "2024-06-05"


def test_articles_dateline_place_resolves_inside_the_papers_region(seed_pages):
    page = seed_pages["000_01d39a0b178f4c28.txt"]
    assert page.articles[0].dateline_regions == ["兰州市", "甘肃省"]


@pytest.mark.parametrize("doc,region", [
    ("000_01d39a0b178f4c28.txt", "甘肃省"),  # from the paper's name in bylines
    ("001_1054eb50c815fcae.txt", "大同市"),  # no masthead: 我市 and the city named most
    ("002_e78c950c36f9347a.txt", "青海省"),
    ("003_f2633e6295f9fc8d.txt", "浙江省"),  # many cities of one province
    ("004_adddd0f31746669f.txt", "甘肃省"),  # 我省
])
def test_articles_home_region_is_inferred_from_the_page(seed_pages, doc, region):
    assert seed_pages[doc].publication.region == region


def test_articles_publication_and_region_are_inferred_from_bylines(seed_pages):
    assert seed_pages["000_01d39a0b178f4c28.txt"].publication.name == "甘肃日报"
    assert seed_pages["000_01d39a0b178f4c28.txt"].publication.region == "甘肃省"
    assert seed_pages["002_e78c950c36f9347a.txt"].publication.name == "青海日报"
    assert seed_pages["002_e78c950c36f9347a.txt"].publication.region == "青海省"


def test_articles_publication_options_override_inference():
    page = build_page("本报讯 今天开会。", "t.txt", publication="大同日报", region="大同市")
    assert (page.publication.name, page.publication.region) == ("大同日报", "大同市")


def test_articles_sentences_carry_offsets_into_the_page(seed_pages):
    for page in seed_pages.values():
        for article in page.articles:
            for sentence in article.sentences:
                assert page.text[sentence.start:sentence.end] == sentence.text
                assert article.start <= sentence.start < sentence.end <= article.end
