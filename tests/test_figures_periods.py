"""kg.figures.periods: time expressions found in sentences and resolved to ISO dates.

Sentences are real ones from seeds/*.txt (line breaks inside sentences removed).
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.figures.periods import OPEN, Period, find_periods, resolve_period

PUB_000 = date(2024, 6, 5)  # 甘肃日报, the page of seeds/000
PUB_001 = date(2023, 11, 15)  # 大同日报, the page of seeds/001


@pytest.mark.parametrize(
    ("text", "pub", "start", "end", "kind", "precision"),
    [
        ("2023年9月10日", PUB_000, "2023-09-10", "2023-09-10", "day", "day"),
        ("2023年12月底", PUB_000, "2023-12-31", "2023-12-31", "day", "day"),
        ("截至今年3月底", PUB_000, OPEN, "2024-03-31", "as_of", "day"),
        ("截至今年5月底", PUB_000, OPEN, "2024-05-31", "as_of", "day"),
        ("今年4月", PUB_000, "2024-04-01", "2024-04-30", "month", "month"),
        ("2023年1月至今", PUB_000, "2023-01-01", "2024-06-05", "since", "month"),
        ("截至目前", PUB_000, OPEN, "2024-06-05", "as_of", "day"),
        ("今年1至10月", PUB_001, "2023-01-01", "2023-10-31", "range", "month"),
        ("今年1—9月", PUB_001, "2023-01-01", "2023-09-30", "range", "month"),
        ("1-9月", PUB_001, "2023-01-01", "2023-09-30", "range", "month"),
        ("1月至10月", PUB_001, "2023-01-01", "2023-10-31", "range", "month"),
        ("去年", PUB_001, "2022-01-01", "2022-12-31", "year", "year"),
        ("去年底", PUB_001, "2022-12-31", "2022-12-31", "day", "day"),
        ("今年以来", PUB_001, "2023-01-01", "2023-11-15", "since", "year"),
        ("2018年以来", PUB_001, "2018-01-01", "2023-11-15", "since", "year"),
        ("自今年7月22日以来", PUB_001, "2023-07-22", "2023-11-15", "since", "day"),
        ("今年9月1日起", PUB_001, "2023-09-01", OPEN, "since", "day"),
        ("截至10月底", PUB_001, OPEN, "2023-10-31", "as_of", "day"),
        ("10月底", PUB_001, "2023-10-31", "2023-10-31", "day", "day"),
        ("前三季度", PUB_001, "2023-01-01", "2023-09-30", "range", "month"),
        ("三季度", PUB_001, "2023-07-01", "2023-09-30", "quarter", "month"),
        ("第四季度", PUB_001, "2023-10-01", "2023-12-31", "quarter", "month"),
        ("上半年", PUB_001, "2023-01-01", "2023-06-30", "half", "month"),
        ("今年下半年", PUB_001, "2023-07-01", "2023-12-31", "half", "month"),
        ("今年前10个月", PUB_001, "2023-01-01", "2023-10-31", "range", "month"),
        ("2019年度", None, "2019-01-01", "2019-12-31", "year", "year"),
        ("2023 年度", None, "2023-01-01", "2023-12-31", "year", "year"),
        ("2018—2020年", None, "2018-01-01", "2020-12-31", "range", "year"),
        ("2018年—2020年", None, "2018-01-01", "2020-12-31", "range", "year"),
        ("二〇二三年", None, "2023-01-01", "2023-12-31", "year", "year"),
        ("11月14日", PUB_001, "2023-11-14", "2023-11-14", "day", "day"),
        ("十一月十四日", PUB_001, "2023-11-14", "2023-11-14", "day", "day"),
        ("14日", PUB_001, "2023-11-14", "2023-11-14", "day", "day"),
        ("5月1日至10日", PUB_001, "2023-05-01", "2023-05-10", "range", "day"),
        ("2023年1月至2024年3月", None, "2023-01-01", "2024-03-31", "range", "month"),
        ("2025年底", None, "2025-12-31", "2025-12-31", "day", "day"),
        ("自2012年年底", None, "2012-12-31", OPEN, "since", "day"),
        ("3月上旬", PUB_000, "2024-03-01", "2024-03-10", "month", "day"),
        ("近两年", date(2019, 3, 20), "2018-01-01", "2019-03-20", "relative", "year"),
        ("目前", PUB_001, "2023-11-15", "2023-11-15", "now", "day"),
    ],
)
def test_resolve_period(
    text: str, pub: date | None, start: str, end: str, kind: str, precision: str
) -> None:
    assert resolve_period(text, pub) == Period(start, end, text, kind, precision)


@pytest.mark.parametrize(
    ("text", "pub", "label"),
    [
        ("截至今年3月底", PUB_000, "2024-03-31"),
        ("今年1—9月", PUB_001, "2023-09"),
        ("前三季度", PUB_001, "2023-09"),
        ("今年以来", PUB_001, "2023"),
        ("2030年", None, "2030"),
        ("今年4月", PUB_000, "2024-04"),
        ("11月14日", None, "--11-14"),
        ("今年9月1日起", PUB_001, None),
    ],
)
def test_label(text: str, pub: date | None, label: str | None) -> None:
    period = resolve_period(text, pub)
    assert period is not None
    assert period.label() == label


@pytest.mark.parametrize(
    ("text", "pub", "start", "end"),
    [
        # a date without a year takes the year that puts it nearest the paper's date
        ("11月14日", date(2024, 1, 10), "2023-11-14", "2023-11-14"),
        ("12月底", date(2023, 11, 15), "2023-12-31", "2023-12-31"),
        ("前三季度", date(2024, 1, 15), "2023-01-01", "2023-09-30"),
        # as-of and since point into the past
        ("截至12月底", date(2024, 1, 10), OPEN, "2023-12-31"),
        ("截至10月底", date(2023, 11, 15), OPEN, "2023-10-31"),
        ("截至11月底", date(2023, 11, 15), OPEN, "2022-11-30"),  # not yet: last year's
        # a stretch counts from its end and the future counts double
        ("上半年", date(2023, 11, 15), "2023-01-01", "2023-06-30"),
        ("1至10月", date(2024, 6, 5), "2023-01-01", "2023-10-31"),
        ("9月底", date(2024, 6, 5), "2024-09-30", "2024-09-30"),
        # a bare day is in the paper's month, or the month before if still to come
        ("25日", date(2023, 11, 15), "2023-10-25", "2023-10-25"),
    ],
)
def test_year_from_publication_date(text: str, pub: date, start: str, end: str) -> None:
    period = resolve_period(text, pub)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("11月14日", "--11-14", "--11-14"),
        ("10月底", "--10-31", "--10-31"),
        ("1至10月", "--01-01", "--10-31"),
        ("前三季度", "--01-01", "--09-30"),
        ("2月底", "--02-29", "--02-29"),
    ],
)
def test_year_less_without_publication_date(text: str, start: str, end: str) -> None:
    period = resolve_period(text, None)
    assert period is not None
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "今年",
        "去年以来",
        "截至今年3月底",
        "今年1—9月",
        "14日",
        "目前",
        "近两年",
        "近年来",
        "近期",
        "近日",
    ],
)
def test_unresolvable_without_publication_date(text: str) -> None:
    assert find_periods(text) != []  # still found
    assert resolve_period(text, None) is None


@pytest.mark.parametrize(
    "text", ["2月30日", "13月", "2020—2018年", "近年来", "近期以来"]
)
def test_unresolvable(text: str) -> None:
    assert resolve_period(text, PUB_001) is None


def test_resolve_period_reads_the_first_expression_in_longer_text() -> None:
    text = "记者从省医保局获悉,截至今年3月底,我省基本医疗保险参保人数"
    period = resolve_period(text, PUB_000)
    assert period == Period(OPEN, "2024-03-31", "截至今年3月底", "as_of", "day")


SENTENCES: list[tuple[str, list[str]]] = [
    (
        "记者从省医保局获悉,截至今年3月底,我省基本医疗保险参保人数2443.33万人。",
        ["截至今年3月底"],
    ),
    (
        "我省将城乡居民参保缴费期由2023年12月底延长至2024年3月底,"
        "各医保统筹区取消待遇享受等待期。",
        ["2023年12月底", "2024年3月底"],
    ),
    (
        "于2023年9月10日起开启全省医保信息平台与税务社保费征缴系统参保缴费业务通道。",
        ["2023年9月10日起"],
    ),
    (
        "2023年1月至今,"
        "通过医保信息平台公共服务系统线上渠道累计成功办理新参保登记业务76.60万人次。",
        ["2023年1月至今"],
    ),
    (
        "今年1至10月,大同市区空气质量综合指数为3.72,二级以上优良天数249天。",
        ["今年1至10月"],
    ),
    ("据了解,今年1—9月,全市医疗保险参保265.73万人。", ["今年1—9月"]),
    (
        "前三季度面向京津冀的招商引资工作初见成效。"
        "三季度京津冀蒙人员来我市人数月均14.8万人。",
        ["前三季度", "三季度"],
    ),
    (
        "新华社北京11月14日电 中共中央总书记、"
        "国家主席习近平14日向2023两岸企业家峰会10周年年会致贺信。",
        ["11月14日", "14日"],
    ),
    ("此前1个月,水利部公布第六批节水型社会建设达标县(区)名单。", []),
    (
        "会议要求各地要严格按照国家《医疗保障扶贫三年行动实施方案(2018—2020年)》提出的"
        "目标任务。",
        ["2018—2020年"],
    ),
    ("会上,省医疗保障局签订《甘肃省2019年度医疗保障脱贫攻坚责任书》。", ["2019年度"]),
    ("据了解，近两年，公司每年夏季用40余万元为广大职工送去“清凉”。", ["近两年"]),
    (
        "自2012年年底公司成立到现在的6年多时间里,公司职工达到1000余人。",
        ["自2012年年底"],
    ),
    (
        "青海日报讯(记者 王菲菲)11 月 25 日,记者从省政府新闻办获悉,今年以来,",
        ["11 月 25 日", "今年以来"],
    ),
    ("截至 10月底，今年全省共查处“两定”机构 1646家。", ["截至 10月底", "今年"]),
    # not times: 度, 初, 末, 底 alone; numbers with other units; ordinals; ages
    ("进一步提升了群众参保的积极性和满意度,加大工作力度,不忘初心。", []),
    ("工人们在末端岗位上坚守,第一书记张鹏扎根基层。", []),
    ("青年初心如磐,周末一日三餐都在食堂。", []),
    ("90后党员何瑶在3号楼调解纠纷,储备35岁以下“好苗子”900余人。", []),
    ("连续15年领跑全省,拥有140多年煤炭开采史。", []),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_periods(sentence: str, expected: list[str]) -> None:
    found = find_periods(sentence)
    assert [text for _, _, text in found] == expected
    for start, end, text in found:
        assert sentence[start:end] == text


def test_find_periods_on_full_width_text_keeps_offsets() -> None:
    text = "截至２０２４年３月底，"
    assert find_periods(text) == [(0, 10, "截至２０２４年３月底")]
    period = resolve_period(text)
    assert period is not None and period.end == "2024-03-31"
