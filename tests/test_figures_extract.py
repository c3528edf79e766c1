"""kg.figures.extract: statistics with metric, period and scope, from seed sentences.

Sentences come from seeds/*.txt (a line break inside a sentence is kept where the page
had one: the page cleaner must join it). Each is put on a page of its paper with the
paper's issue date, so relative periods (截至今年3月底) resolve. ``score_seeds``
measures the extractor against the gold files; run this file to print the scores:
``.venv/bin/python tests/test_figures_extract.py``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.figures.extract import (
    REPORT_KEYS,
    Figure,
    extract_figures,
    figure_dict,
    figure_row,
)
from kg.ingest import build_page, read_page

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold"

GANSU = ("甘肃日报", "甘肃省", "2024-06-05")  # seeds/000
DATONG = ("大同日报", "大同市", "2023-11-15")  # seeds/001
QINGHAI = ("青海日报", "青海省", "2023-11-26")  # seeds/002
ZHEJIANG = (None, "浙江省", "2024-08-20")  # seeds/003
GANSU_WORKERS = ("甘肃工人报", "甘肃省", "2019-03-20")  # seeds/004


def figures_of(text: str, paper: tuple[str | None, str | None, str | None] = GANSU,
               ) -> list[Figure]:
    name, region, pub_date = paper
    page = build_page(text, "t.txt", publication=name, region=region, pub_date=pub_date)
    return extract_figures(page)


def keys(figures: list[Figure]) -> list[tuple]:
    return [(f.value, f.unit, f.metric, f.date, f.scope) for f in figures]


# --------------------------------------------------------------------------------------
# Value, unit, metric, date and scope
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paper", "text", "expected"),
    [
        pytest.param(
            GANSU,
            "截至今年3月底，我省基本医疗保险参保人数2443.33万人，其中职工基本医疗保险"
            "参保人数398.74万人，城乡居民基本医疗保险参保人数2044.58万人，参保率达99.12%。",
            [
                (24433300, "人", "基本医疗保险参保人数", "2024-03-31", "甘肃省"),
                (3987400, "人", "职工基本医疗保险参保人数", "2024-03-31", "甘肃省"),
                (20445800, "人", "城乡居民基本医疗保险参保人数", "2024-03-31", "甘肃省"),
                (99.12, "%", "参保率", "2024-03-31", "甘肃省"),
            ],
            id="as-of-period-governs-a-list",
        ),
        pytest.param(
            GANSU,
            "根据国家医保局今年4月下发的全国基本医保参保情况通报，我省基本医保参保率在"
            "全国排名第五位，工作成效明显。",
            [(5, "名次", "基本医保参保率", "2024-04", "甘肃省")],
            id="rank-scope-is-the-subject-not-the-domain",
        ),
        pytest.param(
            QINGHAI,
            "坚决打击各类欺诈骗保行为，截至10月底，今年全省共查处“两定”机构1646家，"
            "追回医保基金\n8700.33 万元。",
            [
                (1646, "家", "查处“两定”机构", "2023-10-31", "青海省"),
                (87003300, "元", "追回医保基金", "2023-10-31", "青海省"),
            ],
            id="narrow-layout-verb-object-metric",
        ),
        pytest.param(
            DATONG,
            "今年以来，我市城镇新增就业56046人，完成年度目标任务(45000人)的124.55%；"
            "困难人员就业5442人，完成年度目标任务(5000人)的108.84%。",
            [
                (56046, "人", "城镇新增就业", None, "大同市"),
                (45000, "人", None, None, "大同市"),
                (124.55, "%", "完成年度目标任务", None, "大同市"),
                (5442, "人", "困难人员就业", None, "大同市"),
                (5000, "人", None, None, "大同市"),
                (108.84, "%", "完成年度目标任务", None, "大同市"),
            ],
            id="target-in-brackets-and-completion-rate",
        ),
        pytest.param(
            DATONG,
            "今年1至10月，大同市区空气质量综合指数为3.72，二级以上优良天数249天，"
            "两项指标均排名全省第一。",
            [
                (3.72, None, "空气质量综合指数", "2023-10", "大同市"),
                (249, "天", "天数", "2023-10", "大同市"),
                (1, "名次", "指标", "2023-10", "大同市"),
            ],
            id="unitless-index-and-rank-not-the-two",
        ),
        pytest.param(
            DATONG,
            "据了解，今年1—9月，全市医疗保险参保265.73万人。",
            [(2657300, "人", "医疗保险参保", "2023-09", "大同市")],
            id="city-paper-全市",
        ),
        pytest.param(
            DATONG,
            "我市与京津冀地区经济互动越来越深入，前三季度从京津冀净流入资金228.13亿元，"
            "同比增长19.43%。",
            [
                (22813000000, "元", "京津冀净流入资金", "2023-09", "大同市"),
                (19.43, "%", "同比增长", "2023-09", "大同市"),
            ],
            id="money-and-change",
        ),
        pytest.param(
            QINGHAI,
            "医疗服务收入占比由2022年的28.89%提高到34.24%，超过全国平均水平。",
            [
                (28.89, "%", "医疗服务收入占比", "2022", "青海省"),
                (34.24, "%", "医疗服务收入占比", None, "青海省"),
            ],
            id="from-to-shares-metric-and-own-year",
        ),
        pytest.param(
            GANSU,
            "项目总投资334.38亿元，包括新建两条跑道、40万平方米的T3航站楼和27万平方米的"
            "综合交通中心等。",
            [
                (33438000000, "元", "项目总投资", None, "甘肃省"),
                (2, "条", "跑道", None, "甘肃省"),
                (400000, "平方米", "T3航站楼", None, "甘肃省"),
                (270000, "平方米", "综合交通中心", None, "甘肃省"),
            ],
            id="chinese-numeral-and-counted-noun-after",
        ),
        pytest.param(
            GANSU_WORKERS,
            "其中，杨营村2018年脱贫36户，贫困发生率下降到15.2%；井儿村2018年脱贫41户。",
            [
                (36, "户", "脱贫", "2018", "杨营村"),
                (15.2, "%", "贫困发生率", "2018", "杨营村"),
                (41, "户", "脱贫", "2018", "井儿村"),
            ],
            id="villages-as-scope",
        ),
        pytest.param(
            ZHEJIANG,
            "8月16日，《2023杭州市福利彩票责任彩票报告》发布活动在杭州市儿童福利院举行，"
            "这是杭州民政系统连续第十年发布年度责任彩票报告。",
            [(10, "年", "民政系统", "2024-08-16", "杭州市")],
            id="consecutive-years",
        ),
    ],
)
def test_figures_of_seed_sentences(paper, text, expected):
    assert keys(figures_of(text, paper)) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "change", "approx"),
    [
        ("平均住院床日下降0.8天，医疗次均费用下降1100余元。", 1100, "元", "下降", "decrease",
         "余"),
        ("个人负担减少近200元。", 200, "元", "减少近", "decrease", "近"),
        ("参保率持续稳定在95%以上，工作走在前列。", 95, "%", "稳定在", None, "以上"),
        ("全省参保率达百分之九十九点一二，位居前列。", 99.12, "%", "达", None, None),
        ("全省共有一千七百七十五个定点医疗机构。", 1775, "个", "共有", None, None),
        ("累计激活医保码600余万人次，在全国率先实现全覆盖。", 6000000, "人次", None, None,
         "余"),
        ("最高气温36-38℃，局部地区甚至40℃以上。", 38, "℃", None, None, None),
        ("直接提供就业岗位超2500个。", 2500, "个", "超", None, "超"),
    ],
)
def test_number_forms(text, value, unit, qualifier, change, approx):
    f = figures_of(text, QINGHAI)[-1 if value == 1100 else 0]
    assert (f.value, f.unit, f.qualifier, f.change, f.approx) == (
        value, unit, qualifier, change, approx,
    )


def test_metric_norm_drops_the_verb():
    (f,) = figures_of("截至10月底，追回医保基金8700.33万元。", QINGHAI)
    assert (f.metric, f.metric_norm) == ("追回医保基金", "医保基金")


def test_elliptic_unit_among_money_figures():
    text = "近两年，公司每年夏季用40余万元为广大职工送去“清凉”，助学基金每年3万元，逢年过节“送温暖”达20万左右，困难职工救助金3万元。"
    found = figures_of(text, GANSU_WORKERS)
    assert [(f.value, f.unit) for f in found] == [
        (400000, "元"), (30000, "元"), (200000, "元"), (30000, "元"),
    ]


def test_households_counted_as_families():
    text = "为全县21名患大病的困难职工家庭提供救助，发放大病救助金11.2万元。"
    assert [(f.value, f.unit) for f in figures_of(text, GANSU_WORKERS)] == [
        (21, "户"), (112000, "元"),
    ]


# --------------------------------------------------------------------------------------
# What is not a statistic
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "paper"),
    [
        ("于2023年9月10日起开启全省医保信息平台与税务社保费征缴系统参保缴费业务通道。", GANSU),
        ("10月28日，生态环境部命名灵丘县为第七批生态文明建设示范区。", DATONG),
        ("此前1个月，水利部公布第六批节水型社会建设达标县(区)名单，灵丘县、左云县上榜。",
         DATONG),
        ("提前实现了国家《“十四五”节水型社会规划》提出的“到2025年底，北方地区60%以上县(区)级"
         "行政区达到节水型社会标准”的目标。", DATONG),
        ("市委十六届五次全会审议通过的实施意见，明确提出打造生态涵养地。", DATONG),
        ("5月26日，中国资本市场50人论坛(智库)甘肃行考察团及江浙知名企业家座谈会在兰州举行。",
         GANSU),
        ("三天的学习考察，代表团成员看到了江苏日新月异的发展景象。", GANSU),
        ("在生产、销售、回收、报废四类市场，开展全周期整治。", ZHEJIANG),
        ("加上前两批上榜的平城区、阳高县，成效明显。", DATONG),
        ("市政协第23次党组(扩大)会议召开，咨询电话：0931-8968888。", DATONG),
        ("会议指出，要坚持“一县一策”，抓好三件大事。", GANSU),
        ("自2012年年底公司成立到现在的6年多时间里，公司不断发展。", GANSU_WORKERS),
    ],
)
def test_not_statistics(text, paper):
    assert figures_of(text, paper) == []


def test_title_figure_not_in_the_body_is_kept():
    text = "全省新增城镇就业4.2万人\n本报讯 今年以来，各地多措并举稳就业，成效明显。"
    page = build_page(text, "t.txt", publication="甘肃日报", region="甘肃省",
                      pub_date="2024-06-05")
    (f,) = extract_figures(page)
    assert (f.value, f.unit, f.metric, f.provenance.sentence) == (
        42000, "人", "新增城镇就业", -1,
    )
    assert page.text[f.provenance.start : f.provenance.end] == f.text
    assert figure_row(f, page.articles[0])["sentence"] == "全省新增城镇就业4.2万人"


def test_title_repeated_in_body_counted_once():
    text = "甘肃基本医保参保率达99.12%\n本报兰州讯 截至今年3月底，我省基本医疗保险参保率达99.12%。"
    found = figures_of(text, GANSU)
    assert [(f.value, f.provenance.sentence) for f in found] == [(99.12, 0)]


# --------------------------------------------------------------------------------------
# Period and scope without help, provenance, report shapes
# --------------------------------------------------------------------------------------


def test_no_publication_date_keeps_the_words_only():
    (f,) = figures_of("截至今年3月底，我省基本医疗保险参保人数2443.33万人。", (None, None, None))
    assert (f.date, f.date_text, f.period_end) == (None, "截至今年3月底", None)
    (g,) = figures_of("2023年，杭州市使用福彩公益金3.41亿元。", (None, None, None))
    assert (g.date, g.scope) == ("2023", "杭州市")


def test_period_carried_to_later_sentences_of_the_paragraph():
    text = "今年以来，全省医保系统推进改革。为51.97万名农村低收入人口支付参保资金1.06亿元。"
    found = figures_of(text, QINGHAI)
    assert [(f.value, f.date_text, f.period_start) for f in found] == [
        (519700, "今年以来", "2023-01-01"), (106000000, "今年以来", "2023-01-01"),
    ]


def test_scope_of_country_words_and_ambiguous_short_names():
    (f,) = figures_of("全国基本医疗保险参保人数13.34亿人。", GANSU)
    assert f.scope == "中华人民共和国"
    # 合作 is a county-level city of Gansu, but here an ordinary word
    (g,) = figures_of("苏陇两省深化产业合作，促成109个产业合作项目。", GANSU)
    assert g.scope == "甘肃省"


def test_provenance_points_at_the_text():
    text = "甘肃基本医保参保率达99.12%\n本报兰州讯 截至今年3月底，我省基本医疗保险参保人数2443.33万人，参保率达99.12%。"
    page = build_page(text, "t.txt", publication="甘肃日报", region="甘肃省",
                      pub_date="2024-06-05")
    for f in extract_figures(page):
        p = f.provenance
        assert page.text[p.start : p.end] == f.text
        assert (p.doc, p.extractor) == ("t.txt", "figures.rules")
        article = page.articles[p.article]
        assert article.sentences[p.sentence].start <= p.start


def test_figure_dict_and_row():
    page = build_page("本报讯 截至10月底，追回医保基金8700.33万元。", "t.txt",
                      publication="青海日报", region="青海省", pub_date="2023-11-26")
    (f,) = extract_figures(page)
    d = figure_dict(f)
    assert tuple(d) == REPORT_KEYS
    assert d == {"text": "追回医保基金8700.33万元", "metric": "追回医保基金",
                 "value": 87003300, "unit": "元", "date": "2023-10-31",
                 "date_text": "截至10月底", "scope": "青海省", "about": None}
    json.dumps(d, ensure_ascii=False)
    row = figure_row(f, page.articles[0])
    assert row["sentence"].startswith("本报讯") and row["doc"] == "t.txt"
    assert {"metric_norm", "period_start", "article_title", "start", "end"} <= set(row)
    assert all(v is None or isinstance(v, str | int | float) for v in row.values())


# --------------------------------------------------------------------------------------
# Seeds against gold
# --------------------------------------------------------------------------------------


def score_seeds(gold_dir: Path = GOLD) -> dict[str, float]:
    """Figures P/R/F1 on (value, unit) over the seeds, the share of matched figures
    whose scope and date equal the gold's, and the speed in page characters per second
    (dictionaries loaded beforehand)."""
    from kg.eval import score_file

    figures_of("截至今年3月底，我省基本医疗保险参保人数2443.33万人。")  # load dictionaries
    tp = n_pred = n_gold = 0
    matched = same_scope = same_date = 0
    chars, seconds = 0, 0.0
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        page = read_page(path)
        started = time.perf_counter()
        figures = [figure_dict(f) for f in extract_figures(page)]
        seconds += time.perf_counter() - started
        chars += len(page.text)
        gold = json.loads((gold_dir / f"{path.stem}.json").read_text(encoding="utf-8"))
        counts = score_file(gold, {"doc": page.doc, "figures": figures})["figures"]
        tp += counts.tp
        n_pred += counts.n_pred
        n_gold += counts.n_gold
        used: set[int] = set()
        for g in gold["figures"]:
            for k, f in enumerate(figures):
                same = (float(f["value"]), f["unit"]) == (float(g["value"]), g["unit"])
                if k in used or not same:
                    continue
                used.add(k)
                matched += 1
                same_scope += f["scope"] == g["scope"]
                same_date += f["date"] == g["date"]
                break
    precision, recall = tp / n_pred, tp / n_gold
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "scope": same_scope / matched,
        "date": same_date / matched,
        "chars_per_second": chars / seconds,
    }


def test_seeds_figures_f1(gold_dir):
    scores = score_seeds(gold_dir)
    assert scores["f1"] >= 0.85, scores


if __name__ == "__main__":
    for key, value in score_seeds().items():
        print(f"{key:>17}: {value:.3f}")


def test_figure_scope_is_the_agency_that_is_the_clause_subject():
    from kg.api import extract

    text = ("## 临泽县总工会精准服务职工\n\n本报讯 去年以来,临泽县总工会共帮扶困难职工家庭218户,"
            "发放生活救助资金12.18万元。")
    report = extract(text, publication="甘肃工人报", region="甘肃省", date="2019-03-20")
    scopes = {(f["value"], f["unit"]): f["scope"] for f in report.to_dict()["figures"]}
    assert scopes[(218, "户")] == "临泽县总工会"
