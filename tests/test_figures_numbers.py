"""kg.figures.numbers and kg.figures.units: numbers, units and quantities in sentences.

Sentences are real ones from seeds/*.txt; where a page broke a line inside a sentence
the break is removed, as the page cleaner does.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from kg.figures.numbers import Quantity, find_quantities, fold_width, parse_number
from kg.figures.units import KINDS, lookup_unit, unit_pattern, unit_table
from kg.resources import read_table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# --------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic, separators, decimals, full width
        ("1,500", 1500),
        ("12,345,678", 12345678),
        ("2443.33", 2443.33),
        ("0.8", 0.8),
        ("１２３", 123),
        ("９８．０３", 98.03),
        ("1，500", 1500),
        # Chinese numerals
        ("五", 5),
        ("两", 2),
        ("十", 10),
        ("十六", 16),
        ("二十", 20),
        ("一百零五", 105),
        ("一千七百七十五", 1775),
        ("两千五百", 2500),
        ("两千五", 2500),
        ("三万五", 35000),
        ("一亿二千万", 120000000),
        ("二〇二三", 2023),
        ("二○二三", 2023),
        ("九十九点一二", 99.12),
        ("百分之九十九点一二", 99.12),
        ("百分之百", 100),
        ("廿三", 23),
        ("壹佰贰拾", 120),
        # multipliers on Arabic numbers, spaces inside
        ("2443.33万", 24433300),
        ("1.06亿", 106000000),
        ("1.06 亿", 106000000),
        ("643.23亿", 64323000000),
        ("3万", 30000),
        ("3千", 3000),
        ("2万亿", 2000000000000),
        ("1.5万亿", 1500000000000),
        ("千万", 10000000),
        ("万", 10000),
        # signs and percent signs
        ("100%", 100),
        ("99.12％", 99.12),
        ("-1.5", -1.5),
        ("负3", -3),
    ],
)
def test_parse_number(text: str, expected: int | float) -> None:
    value = parse_number(text)
    assert value == expected
    assert type(value) is type(expected)  # int when integral


@pytest.mark.parametrize(
    "text", ["", "abc", "十四五", "1,50", "3.5.6", "一站式", "万人"]
)
def test_parse_number_refuses(text: str) -> None:
    assert parse_number(text) is None


def test_fold_width_keeps_offsets() -> None:
    text = "参保率达９８．０３％，共１２３人"
    folded = fold_width(text)
    assert len(folded) == len(text)
    assert folded == "参保率达98.03%，共123人"  # the full-width comma stays


# --------------------------------------------------------------------------------------
# units
# --------------------------------------------------------------------------------------


def test_unit_table_is_well_formed() -> None:
    rows = read_table("units.tsv")
    assert len(unit_table()) == len(rows)
    for unit in unit_table().values():
        assert unit.kind in KINDS
        assert unit.multiplier > 0
        assert (unit.currency is not None) == (unit.kind == "money")
    canonical = {u.canonical for u in unit_table().values()}
    assert {"元", "人", "人次", "%", "名次", "℃", "平方米", "亩", "吨"} <= canonical


@pytest.mark.parametrize(
    ("surface", "canonical", "kind", "multiplier", "currency"),
    [
        ("万元", "元", "money", 10**4, "CNY"),
        ("亿元", "元", "money", 10**8, "CNY"),
        ("美元", "美元", "money", 1, "USD"),
        ("亿美元", "美元", "money", 10**8, "USD"),
        ("公里", "公里", "length", 1, None),
        ("千米", "公里", "length", 1, None),
        ("万吨", "吨", "weight", 10**4, None),
        ("千瓦时", "千瓦时", "energy", 1, None),
        ("名", "人", "count", 1, None),
        ("位", "人", "count", 1, None),
        ("人次", "人次", "count", 1, None),
        ("架次", "架次", "count", 1, None),
        ("%", "%", "percent", 1, None),
        ("个百分点", "百分点", "percent", 1, None),
        ("名次", "名次", "rank", 1, None),
        ("℃", "℃", "temperature", 1, None),
        ("小时", "小时", "time", 1, None),
    ],
)
def test_lookup_unit(
    surface: str, canonical: str, kind: str, multiplier: int, currency: str | None
) -> None:
    unit = lookup_unit(surface)
    assert unit is not None
    assert (unit.canonical, unit.kind, unit.multiplier, unit.currency) == (
        canonical,
        kind,
        Decimal(multiplier),
        currency,
    )


def test_unit_pattern_is_longest_first() -> None:
    alts = unit_pattern().split("|")
    assert alts.index("人次") < alts.index("人")
    assert alts.index("个百分点") < alts.index("个")
    assert [len(a) for a in alts] == sorted((len(a) for a in alts), reverse=True)


def test_deliberately_absent_units() -> None:
    for surface in ("岁", "月", "日", "周年", "度"):
        assert lookup_unit(surface) is None


# --------------------------------------------------------------------------------------
# find_quantities: every figure of real sentences, and nothing else
# --------------------------------------------------------------------------------------

SENTENCES: list[tuple[str, list[tuple[int | float, str | None]]]] = [
    (
        "截至今年3月底,我省基本医疗保险参保人数2443.33万人,"
        "其中职工基本医疗保险参保人数398.74万人,"
        "城乡居民基本医疗保险参保人数2044.58万人,参保率达99.12%。",
        [(24433300, "人"), (3987400, "人"), (20445800, "人"), (99.12, "%")],
    ),
    (
        "根据国家医保局今年4月下发的全国基本医保参保情况通报,"
        "我省基本医保参保率在全国排名第五位,工作成效明显。",
        [(5, "名次")],
    ),
    (
        "截至目前,共有5.38万人通过职工医保家庭共济账户成功代缴参保费。",
        [(53800, "人")],
    ),
    (
        "2023年1月至今,"
        "通过医保信息平台公共服务系统线上渠道累计成功办理新参保登记业务76.60万人次。",
        [(766000, "人次")],
    ),
    (
        "集聚近2500家国家级高新技术企业、62家上市企业,累计创造近1.5亿美元的进出口总值,"
        "在商务部国家级经开区综合评价中获评“全球第一吊”。",
        [(2500, "家"), (62, "家"), (150000000, "美元")],
    ),
    (
        "在资源型城市转型中,拥有140多年煤炭开采史的能源龙头企业——徐矿集团。",
        [(140, "年")],
    ),
    (
        "其中,签约合同项目38个、签约金额174.93亿元,签约协议项目71个、"
        "签约金额468.3亿元,涉及新能源及其装备制造等领域。",
        [(38, "个"), (17493000000, "元"), (71, "个"), (46830000000, "元")],
    ),
    (
        "会上,6位劳模代表分享了学习感悟,2位专家学者作了分析解读。",
        [(6, "人"), (2, "人")],
    ),
    (
        "兰州中川国际机场三期扩建工程是国家重大交通基础设施,"
        "旨在满足2030年旅客吞吐量3800万人次、货邮吞吐量30万吨、"
        "飞机起降30万架次的需求。",
        [(38000000, "人次"), (300000, "吨"), (300000, "架次")],
    ),
    (
        "项目总投资334.38亿元,包括新建两条跑道、"
        "40万平方米的T3航站楼和27万平方米的综合交通中心等。",
        [(33438000000, "元"), (2, "条"), (400000, "平方米"), (270000, "平方米")],
    ),
    (
        "截至今年5月底,已完成投资296.83亿元,占总投资的88.77%。",
        [(29683000000, "元"), (88.77, "%")],
    ),
    ("近日,环县万亩紫花苜蓿迎来收割期。", [(10000, "亩")]),
    (
        "今年1至10月,大同市区空气质量综合指数为3.72,二级以上优良天数249天,"
        "两项指标均排名全省第一。",
        [(3.72, None), (249, "天"), (2, "项"), (1, "名次")],
    ),
    (
        "据了解,今年1—9月,全市医疗保险参保265.73万人。其中,职工参保77.99万人,"
        "参保率100%;城乡居民参保187.74万人,参保率98.03%。",
        [(2657300, "人"), (779900, "人"), (100, "%"), (1877400, "人"), (98.03, "%")],
    ),
    (
        "前三季度面向京津冀的招商引资工作初见成效,从京津冀净流入资金228.13亿元,"
        "同比增长19.43%。",
        [(22813000000, "元"), (19.43, "%")],
    ),
    (
        "今年以来,我市城镇新增就业56046人,完成年度目标任务(45000人)的124.55%;",
        [(56046, "人"), (45000, "人"), (124.55, "%")],
    ),
    (
        "报名人数达1600余人,仅活动期间通过面试入职的就有400余人。",
        [(1600, "人"), (400, "人")],
    ),
    (
        "截至10月底,已提供就业服务8503人次,有5036人实现就业。",
        [(8503, "人次"), (5036, "人")],
    ),
    (
        "同时,为全市8所学校5355名毕业生发放求职创业补贴624.6万元。",
        [(8, "所"), (5355, "人"), (6246000, "元")],
    ),
    (
        "认真实施全民参保计划，参保率持续稳定在 95%以上，"
        "青海 2023 年度中央和国家有关考核靠前十件事项，"
        "参保缴费工作位列其中并排名最前。",
        [(95, "%"), (10, "件")],
    ),
    (
        "为 51.97万名农村低收入人口和脱贫不稳定人口支付参保资金1.06 亿元，"
        "参保率稳定在 99%以上。",
        [(519700, "人"), (106000000, "元"), (99, "%")],
    ),
    (
        "截至 10月底，今年全省共查处“两定”机构 1646家，追回医保基金 8700.33万元。",
        [(1646, "家"), (87003300, "元")],
    ),
    (
        "平均住院床日下降 0.8 天，医疗次均费用下降 1100 余元、个人负担减少近 200 元。",
        [(0.8, "天"), (1100, "元"), (200, "元")],
    ),
    (
        "动态调整“辅助生殖”等医疗服务价格557项，涉及调价金额 1.28亿元，"
        "累计调整 2231 项，涉及金额 8.41 亿元，"
        "医疗服务收入占比由 2022 年的 28.89%提高到34.24%，超过全国平均水平。",
        [
            (557, "项"),
            (128000000, "元"),
            (2231, "项"),
            (841000000, "元"),
            (28.89, "%"),
            (34.24, "%"),
        ],
    ),
    (
        "完成 10批 267种药品和9批 59类耗材集采落地执行，累计集采药品 990 种、"
        "耗材 100 类，平均降价 55%以上。",
        [
            (10, "批"),
            (267, "种"),
            (9, "批"),
            (59, "类"),
            (990, "种"),
            (100, "类"),
            (55, "%"),
        ],
    ),
    ("累计激活医保码 600 余万人次，在全国率先实现全覆盖。", [(6000000, "人次")]),
    (
        "高质量办好为民办实事项目 150 余个，改造提升 39 个老旧小区、"
        "整治提升道路 51条，新增 1.32 万个停车位，改造提升114 处公交站亭，"
        "打造 8 处立体花坛、14个“口袋公园”，设立 91个新时代文明实践活动阵地。",
        [
            (150, "个"),
            (39, "个"),
            (51, "条"),
            (13200, "个"),
            (114, "处"),
            (8, "处"),
            (14, "个"),
            (91, "个"),
        ],
    ),
    (
        "健全“1+8+N”服务模式，"
        "19个类别 328支志愿服务队伍共 3万余人常态化开展文明交通劝导。",
        [(19, "个"), (328, "支"), (30000, "人")],
    ),
    (
        "自今年7月22日以来,“潮汐窗口”已分流受理业务及咨询110余件,平均办理时限压缩20%,"
        "好评率100%。",
        [(110, "件"), (20, "%"), (100, "%")],
    ),
    (
        "近期位于浙江南大门的苍南迎来持续晴热天气,最高气温36-38℃,局部地区甚至40℃以上。",
        [(38, "℃"), (40, "℃")],
    ),
    (
        "累计培育46名“好青年”成长为致富带头人,储备35岁以下“好苗子”900余人。",
        [(46, "人"), (900, "人")],
    ),
    (
        "8月16日,《2023杭州市福利彩票责任彩票报告》发布活动在杭州市儿童福利院举行,"
        "这是杭州民政系统连续第十年发布年度责任彩票报告。",
        [(10, "年")],
    ),
    (
        "2023年,杭州市累计销售各类福利彩票34.93亿元,筹集公益金9.72亿元,"
        "双双创下历史新高,并连续15年领跑全省。",
        [(3493000000, "元"), (972000000, "元"), (15, "年")],
    ),
    (
        "代征代缴个人所得税2361.75万元,直接提供就业岗位超2500个。",
        [(23617500, "元"), (2500, "个")],
    ),
    (
        "本次招聘会共有区内外68家企业参加，提供就业岗位1500多个，涵盖会计、"
        "销售等多个工种，近3000余名城乡劳动者入场求职。",
        [(68, "家"), (1500, "个"), (3000, "人")],
    ),
    (
        "加入不到一周时间，最多的学习积分已达60余分。",
        [(60, "分")],
    ),
    (
        "去年5个帮扶工作组由省总工会领导带队平均进村入户6批次以上，"
        "帮助完善制定“一户一策”计划。",
        [(5, "个"), (6, "批次")],
    ),
    (
        "杜家门村2018年脱贫35户，贫困发生率下降到7.4%，回岔村2018年脱贫22户，"
        "贫困发生率下降到12.9%。",
        [(35, "户"), (7.4, "%"), (22, "户"), (12.9, "%")],
    ),
    (
        "全县共有127家单位参加互助保障计划，为4117名职工缴纳互助保障金81.2万元，"
        "233名职工获得了各项理赔金21.6万元；",
        [(127, "家"), (4117, "人"), (812000, "元"), (233, "人"), (216000, "元")],
    ),
    (
        "据了解，近两年，公司每年夏季用40余万元为广大职工送去“清凉”，"
        "助学基金每年3万元，逢年过节“送温暖”达20万左右，困难职工救助金3万元。",
        [(400000, "元"), (30000, "元"), (200000, None), (30000, "元")],
    ),
    (
        "2017年再次下发《关于员工工资发放专项保障基金增资的决定》，"
        "将保障基金从500万元扩大到1000万元。",
        [(5000000, "元"), (10000000, "元")],
    ),
    # forms the brief names that the seed pages do not show
    ("全省共有五个示范区,两千五百人参加。", [(5, "个"), (2500, "人")]),
    ("参保率达到百分之九十九点一二。", [(99.12, "%")]),
    ("该市在全国排名第5。", [(5, "名次")]),
    (
        "全年用电量12.5亿千瓦时,同比增长2.5个百分点。",
        [(1250000000, "千瓦时"), (2.5, "百分点")],
    ),
    ("每户补助3万-5万元,每亩补助3-5千元。", [(50000, "元"), (5000, "元")]),
    ("共有１２３人参加,发放补贴１，５００元。", [(123, "人"), (1500, "元")]),
    ("带动就业1,500人。", [(1500, "人")]),
    ("提前十分钟到岗,他拥有二十多年经验。", [(10, "分钟"), (20, "年")]),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_find_quantities_in_sentences(
    sentence: str, expected: list[tuple[int | float, str | None]]
) -> None:
    found = find_quantities(sentence)
    assert [(q.value, q.unit) for q in found] == expected
    for q in found:
        assert sentence[q.start : q.end] == q.text
        assert type(q.value) is int or q.value != int(q.value)


# --------------------------------------------------------------------------------------
# Details: approximation, bounds, qualifier, change, kind, currency
# --------------------------------------------------------------------------------------


def _only(sentence: str, text: str) -> Quantity:
    found = [q for q in find_quantities(sentence) if q.text == text]
    assert len(found) == 1, [q.text for q in find_quantities(sentence)]
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "text", "fields"),
    [
        (
            "参保率达99.12%。",
            "99.12%", dict(qualifier="达", unit_kind="percent", approx=None),
        ),
        (
            "医疗次均费用下降1100余元。",
            "1100余元",
            dict(value=1100, approx="余", low=1100, high=None, change="decrease"),
        ),
        (
            "个人负担减少近 200 元。",
            "200 元",
            dict(
                approx="近", low=None, high=200, qualifier="减少近", change="decrease"
            ),
        ),
        (
            "直接提供就业岗位超2500个。",
            "2500个", dict(approx="超", low=2500, high=None),
        ),
        (
            "累计激活医保码600余万人次。",
            "600余万人次",
            dict(value=6000000, approx="余", surface_unit="万人次"),
        ),
        (
            "共3万余人常态化开展。",
            "3万余人", dict(value=30000, approx="余", qualifier="共"),
        ),
        (
            "参保率持续稳定在 95%以上，",
            "95%以上",
            dict(value=95, approx="以上", low=95, high=None, qualifier="稳定在"),
        ),
        (
            "最高气温36-38℃,",
            "36-38℃",
            dict(value=38, low=36, high=38, unit_kind="temperature"),
        ),
        (
            "同比增长19.43%。",
            "19.43%",
            dict(qualifier="同比增长", change="increase"),
        ),
        (
            "平均住院床日下降 0.8 天，",
            "0.8 天", dict(change="decrease", unit_kind="time"),
        ),
        ("占比提高到34.24%，", "34.24%", dict(qualifier="提高到", change=None)),
        ("贫困发生率下降到15.2%；", "15.2%", dict(qualifier="下降到", change=None)),
        ("飞机起降30万架次的需求。", "30万架次", dict(change=None, qualifier="起降")),
        ("签约合同项目38个。", "38个", dict(approx=None)),
        (
            "累计创造近1.5亿美元的进出口总值",
            "1.5亿美元",
            dict(value=150000000, unit="美元", currency="USD", unit_kind="money"),
        ),
        (
            "追回医保基金 8700.33万元。",
            "8700.33万元", dict(currency="CNY", surface_unit="万元"),
        ),
        (
            "近3000余名城乡劳动者入场求职。",
            "3000余名", dict(approx="近…余", low=None, high=None),
        ),
        ("逢年过节“送温暖”达20万左右，", "20万左右", dict(unit=None, approx="左右")),
        (
            "我省基本医保参保率在全国排名第五位,",
            "排名第五位", dict(unit_kind="rank", qualifier="排名"),
        ),
        ("两项指标均排名全省第一。", "排名全省第一", dict(value=1, unit="名次")),
        ("杭州民政系统连续第十年发布", "连续第十年", dict(value=10, unit="年")),
        (
            "新增 1.32 万个停车位",
            "1.32 万个", dict(value=13200, qualifier="新增", change=None),
        ),
        ("签约金额643.23亿元。", "643.23亿元", dict(value=64323000000, qualifier=None)),
    ],
)
def test_quantity_details(sentence: str, text: str, fields: dict[str, object]) -> None:
    q = _only(sentence, text)
    for name, expected in fields.items():
        assert getattr(q, name) == expected, name


# --------------------------------------------------------------------------------------
# Not figures
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # dates and periods alone
        "于2023年9月10日起开启全省医保信息平台与税务社保费征缴系统参保缴费业务通道。",
        "11月14日晚,国家主席习近平乘专机离开北京。",
        "2024年",
        "今年1至10月,",
        "据了解,今年1—9月,",
        "1-9月",
        "我省将城乡居民参保缴费期由2023年12月底延长至2024年3月底。",
        "确保9月底前搬迁入住。",
        "严格按照国家《医疗保障扶贫三年行动实施方案(2018—2020年)》提出的目标任务。",
        "近两年,公司每年夏季",
        "前10个月",
        "1月1日元旦假期",
        # ordinals and names
        "提前实现了国家《“十四五”节水型社会规划》提出的目标。",
        "生态环境部命名灵丘县为第七批生态文明建设示范区。",
        "市政协第23次党组(扩大)会议、第23次主席会议召开。",
        "市委十六届五次全会审议通过的《中共大同市委关于融入京津冀 打造桥头堡的实施意见"
        "》。",
        "近日,习近平总书记亲临十三届全国人大二次会议甘肃代表团。",
        "同时应邀出席亚太经合组织第三十次领导人非正式会议。",
        "杭州福彩成功发行销售了杭州第4届亚残运会主题即开票。",
        "习近平向2023两岸企业家峰会10周年年会致贺信。",
        "建设好医保领域的“三支队伍”,",
        "鼓励引导“三支一扶”高校毕业生到基层就业。",
        "为“百亩方”以及辖区企业解决问题。",
        "建医保“十分钟服务圈”。",
        # numerals inside words and idioms
        "优化医保参保业务线上办理流程,实现参保业务“一网通办”。",
        "“一站式”即时结算",
        "今年全省共查处“两定”机构",
        "坚持山水林田湖草沙一体化保护和系统治理。",
        "还有一个青年团队。",
        "医疗保障涉及千家万户,关乎群众最关心最直接最现实的利益问题。",
        "续开展走村入社、“蓝瓶进万家”等服务活动。",
        "“不用四处奔波,在家门口就能找到一份比较满意的工作。”",
        "这样的服务真是十分暖心。",
        "帮助完善制定“一户一策”计划。",
        "在陆家嘴金融城。",
        # ages, phone numbers, versions, codes
        "90后党员何瑶正在调解居民纠纷。",
        "咨询电话:0931-8888888。",
        "数字政府3.0版本上线。",
        "健全“1+8+N”服务模式。",
        "从事3D打印金属粉末研发生产。",
        "让电子民的同时把时间调整到晚上11点后。",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert find_quantities(sentence) == []


def test_one_is_not_a_statistic_but_one_arabic_is() -> None:
    assert find_quantities("这是一个问题。") == []
    found = find_quantities("并聘请1名律师作为法律顾问。")
    assert [(q.value, q.unit) for q in found] == [(1, "人")]


def test_offsets_index_the_given_text() -> None:
    text = "前言。\n参保人数２４４３．３３万人，参保率达９９．１２％。"
    found = find_quantities(text)
    assert [(q.value, q.unit) for q in found] == [(24433300, "人"), (99.12, "%")]
    assert [text[q.start : q.end] for q in found] == [q.text for q in found]
    assert found[0].text == "２４４３．３３万人"


# --------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------


def test_speed_over_seed_pages() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    assert len(text) > 10_000
    find_quantities(text)  # compile and warm up
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        find_quantities(text)
    rate = len(text) * rounds / (time.perf_counter() - start)
    assert rate > 100_000, f"{rate:,.0f} chars/s"
