"""Line repair and character normalisation on real broken passages, offsets kept."""

from __future__ import annotations

import pytest

from kg.ingest import build_page


def _body(text: str) -> str:
    page = build_page(text, "t.txt")
    return "\n".join(a.body for a in page.articles)


# fmt: off
REPAIRS = [
    # a word broken across lines (全 / 省), seed 000
    ("本报兰州讯(记者 李永萍)于2023年9月10日起开启全\n\n省医保信息平台与税务社保费征缴系统参保缴费业务通道,确保全省参保缴费业务办理顺畅。",
     "开启全省医保信息平台"),
    # the one-line-every-few-characters layout of seed 002, with spaces inside numbers
    ("青海日报讯（记者 王菲菲）11 月\n\n25 日，记者从省政府新闻办举行的“懂\n\n青海 爱青海 兴青海”系列新闻发布会医\n\n保专场新闻发布会获悉。",
     "11月25日,记者从省政府新闻办举行的“懂青海 爱青海 兴青海”系列新闻发布会医保专场新闻发布会获悉。"),
    ("本报讯 为 51.97万名农村低收入人\n\n口和脱贫不稳定人口支付参保资金\n\n1.06 亿元，参保率稳定在 99%以上。",
     "为51.97万名农村低收入人口和脱贫不稳定人口支付参保资金1.06亿元,参保率稳定在99%以上。"),
    ("本报讯 截至 10月底，今年全省共查处“两定”机\n\n构 1646家，追回医保基金 8700.33万元。",
     "截至10月底,今年全省共查处“两定”机构1646家,追回医保基金8700.33万元。"),
    # a traditional variant inside simplified text, seed 000
    ("本报讯 拥有140多年煤炭开采史的能源龙头企业——徐矿集团,可謂是徐州产业转型的重要参与者。",
     "可谓是徐州产业转型"),
    # full-width digits and letters
    ("本报讯 参保率达９９．１２％，ＡＡＡ级。", "参保率达99.12%,AAA级。"),
]
# fmt: on


@pytest.mark.parametrize("text,expected", REPAIRS)
def test_layout_repairs_broken_lines_and_normalises(text, expected):
    assert expected in _body(text)


def test_layout_keeps_paragraphs_apart_after_a_full_stop():
    text = "本报讯 第一段写完了。\n\n第二段从这里开始,继续写\n\n下去。"
    page = build_page(text, "t.txt")
    assert page.articles[0].body == "本报讯 第一段写完了。\n第二段从这里开始,继续写下去。"


def test_layout_offsets_map_back_to_the_original_characters():
    text = "## 标题在这里\n\n本报讯 截至 10月底，追回医保基金\n\n 8700.33万元。"
    page = build_page(text, "t.txt")
    body = page.articles[0].body
    start = page.text.index("8700.33万元")
    a, b = page.to_original(start, start + len("8700.33万元"))
    assert text[a:b] == "8700.33万元"
    start = page.text.index("医保基金8700")
    a, b = page.to_original(start, start + 8)
    assert text[a:b].replace("\n", "").replace(" ", "") == "医保基金8700"
    assert "8700.33万元" in body


def test_layout_offsets_cover_every_clean_character(seed_pages):
    for page in seed_pages.values():
        assert len(page.offsets) == len(page.text)
        for i in range(0, len(page.text), 97):
            ch = page.text[i]
            orig = page.original[page.offsets[i]]
            if ch not in "\n ":
                # normalisation is one-to-one: a kept character maps to its source
                assert ch == orig or ord(orig) > 0x2000, (page.doc, i, ch, orig)
