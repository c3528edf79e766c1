"""kg_regions on real sentences: divisions with codes, context words, places, and the
ordinary words and names that must not become regions."""

from __future__ import annotations

import pytest

from kg.nlp.context import Context
from kg.nlp.pipeline import build_nlp, run
from kg.nlp.spans import kg_spans

GANSU = Context(home_region="甘肃省", home_province="甘肃省")
DATONG = Context(home_region="大同市", home_province="山西省", home_city="大同市")
ZHEJIANG = Context(home_region="浙江省", home_province="浙江省")


def regions(text: str, ctx: Context) -> list[tuple[str, str, str, str | None]]:
    doc = run(build_nlp(), text, ctx)
    return [(s.text, s._.kg["canonical"], s._.kg["level"], s._.kg["code"])
            for s in kg_spans(doc, "REGION")]


# fmt: off
FOUND = [
    ("省住建厅对积石山县灾后恢复重建居民住房建设质量安全开展专项督查", GANSU,
     ("积石山县", "积石山保安族东乡族撒拉族自治县", "county", "622927")),
    ("截至今年3月底,我省基本医疗保险参保人数2443.33万人", GANSU,
     ("我省", "甘肃省", "province", "620000")),
    ("加上前两批上榜的平城区、阳高县、云州区、广灵县,我市已有6个县(区)", DATONG,
     ("云州区", "云州区", "county", "140215")),
    ("加上前两批上榜的平城区、阳高县、云州区、广灵县,我市已有6个县(区)", DATONG,
     ("我市", "大同市", "prefecture", "140200")),
    ("对临夏州和积石山县住建部门进行督查", GANSU,
     ("临夏州", "临夏回族自治州", "prefecture", "622900")),
    ("去年以来,嘉兴市桐乡市医保局率先设立“潮汐窗口”", ZHEJIANG,
     ("桐乡市", "桐乡市", "county", "330483")),
    ("根据国家医保局下发的通报,我省基本医保参保率在全国排名第五位", GANSU,
     ("全国", "中华人民共和国", "country", None)),
    ("副省长雷思维深入兰州新区调研", GANSU, ("兰州新区", "兰州新区", "other", None)),
    ("走进湖州市安吉县孝源街道,目光所及", ZHEJIANG,
     ("安吉县孝源街道", "孝源街道", "township", None)),
    ("省总工会驻马河镇杨营村工作队队长", GANSU, ("杨营村", "杨营村", "village", None)),
    ("先后前往兰州新区化工园区、华腾富世生态体育公园和水阜河水质自动监测站", GANSU,
     ("华腾富世生态体育公园", "华腾富世生态体育公园", "other", None)),
    ("在“纺织之乡”宜山镇,棉纺的生产时间调整到晚上", ZHEJIANG,
     ("宜山镇", "宜山镇", "township", None)),
    ("无论是在中科院基地,还是在全球数字创新港,抑或是在陆家未来智慧园", GANSU,
     ("全球数字创新港", "全球数字创新港", "other", None)),
]
# fmt: on


@pytest.mark.parametrize("text,ctx,expected", FOUND)
def test_regions_find_division_or_place(text, ctx, expected):
    assert expected in regions(text, ctx)


# fmt: off
NOT_REGIONS = [
    ("再续新时代苏陇合作山海情", GANSU, "合作"),                 # 合作市 is a word here
    ("宁夏回族自治区人大常委会副主任、区总工会主席沈左权出席", GANSU, "左权"),  # a name
    ("今年全省公安机关持续开展专项行动", GANSU, "公安"),
    ("全面梳理我市前三季度第三产业工作开展情况", GANSU, "我市"),  # home city unknown
]
# fmt: on


@pytest.mark.parametrize("text,ctx,surface", NOT_REGIONS)
def test_regions_skip_words_that_only_look_like_places(text, ctx, surface):
    assert surface not in [mention for mention, *_ in regions(text, ctx)]


def test_regions_parent_follows_the_division_hierarchy():
    doc = run(build_nlp(), "对积石山县灾后恢复重建开展督查", GANSU)
    span = kg_spans(doc, "REGION")[0]
    assert span._.kg["parent"] == "临夏回族自治州"


def test_regions_whole_page_precision_and_recall_against_gold(seed_paths, gold_dir):
    import json

    from kg.api import extract_file
    from kg.eval import score_file

    tp = pred = gold_n = 0
    for path in seed_paths:
        gold = json.loads((gold_dir / f"{path.stem}.json").read_text("utf-8"))
        counts = score_file(gold, extract_file(path).to_dict())["regions"]
        tp, pred, gold_n = tp + counts.tp, pred + counts.n_pred, gold_n + counts.n_gold
    assert tp / pred >= 0.9
    assert tp / gold_n >= 0.8


def test_spans_on_the_same_characters_keep_their_own_payloads():
    import spacy

    from kg.nlp.spans import add_span

    doc = spacy.blank("zh")("甘肃日报报道")
    agency = add_span(doc, 0, 4, "AGENCY", "甘肃日报", "a")
    region = add_span(doc, 0, 2, "REGION", "甘肃省", "b")
    same = add_span(doc, 0, 4, "PROGRAM", "甘肃日报计划", "c")
    assert agency._.kg["canonical"] == "甘肃日报"
    assert region._.kg["canonical"] == "甘肃省"
    assert same._.kg["canonical"] == "甘肃日报计划"
