"""kg_agencies on real sentences of the seed pages: abbreviations expanded with the region
the context gives, explicit region chains, national bodies, banks and companies by their
suffix, sub-bodies, coordinated regions, and the words that must not become agencies."""

from __future__ import annotations

import json

import pytest
import spacy

from kg.nlp import agencies  # noqa: F401  (registers kg_agencies)
from kg.nlp.context import Context
from kg.nlp.spans import kg_spans

GANSU = Context(publication="甘肃日报", home_region="甘肃省", home_province="甘肃省")
DATONG = Context(
    publication="大同日报",
    home_region="大同市",
    home_province="山西省",
    home_city="大同市",
)
QINGHAI = Context(publication="青海日报", home_region="青海省", home_province="青海省")
ZHEJIANG = Context(home_region="浙江省", home_province="浙江省")
CHINA = "中华人民共和国"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("kg_agencies")
    nlp.initialize()
    return nlp


def found(nlp, text: str, ctx: Context) -> list[dict]:
    doc = nlp.make_doc(text)
    doc._.ctx = ctx
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [{"text": s.text, **s._.kg} for s in kg_spans(doc, "AGENCY")]


def names(nlp, text: str, ctx: Context) -> set[str]:
    return {a["canonical"] for a in found(nlp, text, ctx)}


# (sentence, context, surface, canonical, kind, region)
# fmt: off
EXPANDED = [
    # a level word resolved by the paper's home region
    ("本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉,截至今年3月底", GANSU,
     "省医保局", "甘肃省医疗保障局", "government", "甘肃省"),
    ("此外,省医保局以“高效办成一件事”为抓手,主动对接省大数据中心、省卫生健康委和省公安厅等部门",
     GANSU, "省卫生健康委", "甘肃省卫生健康委员会", "government", "甘肃省"),
    ("主动对接省大数据中心、省卫生健康委和省公安厅等部门", GANSU,
     "省大数据中心", "甘肃省大数据中心", "public_institution", "甘肃省"),
    ("近期以来,省住建厅对积石山县灾后恢复重建居民住房建设质量安全开展(第二次)专项督查", GANSU,
     "省住建厅", "甘肃省住房和城乡建设厅", "government", "甘肃省"),
    ("会上,省医疗保障局与各州市医疗保障局签订《甘肃省2019年度医疗保障脱贫攻坚责任书》", GANSU,
     "省医疗保障局", "甘肃省医疗保障局", "government", "甘肃省"),
    ("落实省委省政府相关要求精神", GANSU, "省委", "中国共产党甘肃省委员会", "party", "甘肃省"),
    ("落实省委省政府相关要求精神", GANSU, "省政府", "甘肃省人民政府", "government", "甘肃省"),
    ("市政协第23次党组(扩大)会议、第23次主席会议召开", DATONG,
     "市政协", "中国人民政治协商会议大同市委员会", "cppcc", "大同市"),
    ("市委十六届五次全会审议通过的《中共大同市委关于融入京津冀 打造桥头堡的实施意见》", DATONG,
     "市委", "中国共产党大同市委员会", "party", "大同市"),
    ("市委十六届五次全会审议通过的《中共大同市委关于融入京津冀 打造桥头堡的实施意见》", DATONG,
     "中共大同市委", "中国共产党大同市委员会", "party", "大同市"),
    ("市医保局相关工作人员告诉记者,今年我市积极推动医保各项待遇政策落地落实", DATONG,
     "市医保局", "大同市医疗保障局", "government", "大同市"),
    ("今年以来,市人社局积极组织高校、社区与全市数字企业对接", DATONG,
     "市人社局", "大同市人力资源和社会保障局", "government", "大同市"),
    ("记者从省政府新闻办举行的“懂青海 爱青海 兴青海”系列新闻发布会医保专场新闻发布会获悉", QINGHAI,
     "省政府新闻办", "青海省人民政府新闻办公室", "government", "青海省"),
    # a level word resolved by a division named earlier in the sentence
    ("宁夏回族自治区人大常委会副主任、区总工会主席沈左权出席会议", GANSU,
     "区总工会", "宁夏回族自治区总工会", "union_mass_org", "宁夏回族自治区"),
    ("温州市龙湾区瑶溪街道联合区消防救援大队针对电动自行车隐患实现“点上破题”", ZHEJIANG,
     "区消防救援大队", "温州市龙湾区消防救援大队", "government", "龙湾区"),
    ("台州市黄岩区院桥镇应急消防管理站会同区消防救援大队对多处住宅小区进行专项检查", ZHEJIANG,
     "区消防救援大队", "台州市黄岩区消防救援大队", "government", "黄岩区"),
    ("袍江控股集团深入贯彻绍兴市委、市政府决策部署", ZHEJIANG,
     "市政府", "绍兴市人民政府", "government", "绍兴市"),
    ("临泽县总工会及时调整服务职工工作重点。联合县人社局对有创业、就业意向的困难职工进行了技能培训",
     GANSU, "县人社局", "临泽县人力资源和社会保障局", "government", "临泽县"),
    # explicit regions
    ("宁夏回族自治区人大常委会副主任、区总工会主席沈左权出席会议", GANSU,
     "宁夏回族自治区人大常委会", "宁夏回族自治区人民代表大会常务委员会", "legislature",
     "宁夏回族自治区"),
    ("积石山县住建局要督促加快推进集中安置点建设", GANSU,
     "积石山县住建局", "积石山保安族东乡族撒拉族自治县住房和城乡建设局", "government",
     "积石山保安族东乡族撒拉族自治县"),
    ("去年以来,嘉兴市桐乡市医保局率先设立“潮汐窗口”", ZHEJIANG,
     "嘉兴市桐乡市医保局", "桐乡市医疗保障局", "government", "桐乡市"),
    ("桐乡市医保中心窗口创新增设“潮汐窗口”", ZHEJIANG,
     "桐乡市医保中心", "桐乡市医疗保障中心", "public_institution", "桐乡市"),
    ("“打造这类平台,正是我们实施‘青苗计划’的一部分。”临安区委组织部相关负责人坦言。", ZHEJIANG,
     "临安区委组织部", "中共杭州市临安区委员会组织部", "party", "临安区"),
    ("会上,省总工会办公室主任,陇西县委副书记冯继波汇报了陇西县脱贫攻坚工作情况。", GANSU,
     "陇西县委", "中国共产党陇西县委员会", "party", "陇西县"),
    ("平川区总工会通过“送政策、送岗位、送培训、送服务”等形式", GANSU,
     "平川区总工会", "白银市平川区总工会", "union_mass_org", "平川区"),
    ("天津市总工会负责同志应邀出席会议", GANSU,
     "天津市总工会", "天津市总工会", "union_mass_org", "天津市"),
    ("绍兴市诸暨市消防救援大队联合多部门印发《诸暨市电动自行车消防安全突出风险专项整治行动方案》",
     ZHEJIANG, "绍兴市诸暨市消防救援大队", "绍兴市诸暨市消防救援大队", "government", "诸暨市"),
    ("尝试规模化推广“稻虾轮作”,金东区鞋塘办事处上下王村党支部书记王樟成就是这批", ZHEJIANG,
     "金东区鞋塘办事处上下王村党支部", "上下王村党支部", "party", "上下王村"),
    ("杭州福彩中心特别邀请了4位人大代表、政协委员、媒体工作者担任福彩行风监督员", ZHEJIANG,
     "杭州福彩中心", "杭州市福利彩票发行中心", "public_institution", "杭州市"),
    ("为更好地保障辖区居民可靠用电,国网苍南县供电公司从“供给侧”到“需求侧”全方位采取务实举措",
     ZHEJIANG, "国网苍南县供电公司", "国网苍南县供电公司", "enterprise", "苍南县"),
    # national bodies
    ("根据国家医保局今年4月下发的全国基本医保参保情况通报", GANSU,
     "国家医保局", "国家医疗保障局", "government", CHINA),
    ("10月28日,中国生态文明论坛经济年会举行,生态环境部命名灵丘县为第七批生态文明建设示范区。",
     DATONG, "生态环境部", "中华人民共和国生态环境部", "government", CHINA),
    ("此前1个月,水利部公布第六批节水型社会建设达标县(区)名单", DATONG,
     "水利部", "中华人民共和国水利部", "government", CHINA),
    ("在商务部国家级经开区综合评价中获评“全球第一吊”", GANSU,
     "商务部", "中华人民共和国商务部", "government", CHINA),
    ("工会组织要主动对接党中央在新时代推动西部大开发的战略部署", GANSU,
     "党中央", "中国共产党中央委员会", "party", CHINA),
    ("新华社北京11月14日电 中共中央总书记、国家主席习近平14日向2023两岸企业家峰会10周年年会致贺信。",
     DATONG, "中共中央", "中国共产党中央委员会", "party", CHINA),
    ("新华社北京11月14日电 中共中央总书记、国家主席习近平14日向2023两岸企业家峰会10周年年会致贺信。",
     DATONG, "新华社", "新华通讯社", "media", CHINA),
    ("陪同习近平出访的有:中共中央政治局常委、中央办公厅主任蔡奇,中共中央政治局委员、外交部部长王毅等。",
     DATONG, "中共中央政治局", "中国共产党中央委员会政治局", "party", CHINA),
    ("陪同习近平出访的有:中共中央政治局常委、中央办公厅主任蔡奇,中共中央政治局委员、外交部部长王毅等。",
     DATONG, "中央办公厅", "中共中央办公厅", "party", CHINA),
    ("陪同习近平出访的有:中共中央政治局常委、中央办公厅主任蔡奇,中共中央政治局委员、外交部部长王毅等。",
     DATONG, "外交部", "中华人民共和国外交部", "government", CHINA),
    ("近日,习近平总书记亲临十三届全国人大二次会议甘肃代表团的重要讲话如同春风吹遍陇原大地", GANSU,
     "全国人大", "全国人民代表大会", "legislature", CHINA),
    ("“三红”服务惠民生案例入选中央文明办建设新时代文明实践中心工作方法100例", QINGHAI,
     "中央文明办", "中央精神文明建设指导委员会办公室", "party", CHINA),
    ("省总工会认真贯彻落实中央、省委的部署安排", GANSU,
     "中央", "中国共产党中央委员会", "party", CHINA),
    ("同时应邀出席亚太经合组织第三十次领导人非正式会议", DATONG,
     "亚太经合组织", "亚洲太平洋经济合作组织", "other", None),
    # banks: national short forms, the kind of bank, a city bank, a county bank
    ("增加农商银行、农业银行、兰州银行、邮储银行、建设银行等多家代征银行的线下柜台", GANSU,
     "农业银行", "中国农业银行", "enterprise", CHINA),
    ("增加农商银行、农业银行、兰州银行、邮储银行、建设银行等多家代征银行的线下柜台", GANSU,
     "邮储银行", "中国邮政储蓄银行", "enterprise", CHINA),
    ("增加农商银行、农业银行、兰州银行、邮储银行、建设银行等多家代征银行的线下柜台", GANSU,
     "建设银行", "中国建设银行", "enterprise", CHINA),
    ("增加农商银行、农业银行、兰州银行、邮储银行、建设银行等多家代征银行的线下柜台", GANSU,
     "农商银行", "农村商业银行", "enterprise", None),
    ("增加农商银行、农业银行、兰州银行、邮储银行、建设银行等多家代征银行的线下柜台", GANSU,
     "兰州银行", "兰州银行", "enterprise", "兰州市"),
    ("近年来,广灵农商银行集中优势资金重点扶持广灵小米种植、加工、销售的农户", DATONG,
     "广灵农商银行", "广灵农村商业银行", "enterprise", "广灵县"),
    # the paper
    ("本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉", GANSU,
     "甘肃日报", "甘肃日报", "media", "甘肃省"),
    ("本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉", GANSU,
     "本报", "甘肃日报", "media", "甘肃省"),
]
# fmt: on


@pytest.mark.parametrize("text,ctx,surface,canonical,kind,region", EXPANDED)
def test_agency_named_in_full(nlp, text, ctx, surface, canonical, kind, region):
    spans = [a for a in found(nlp, text, ctx) if a["text"] == surface]
    assert spans, f"{surface} not found in {[a['text'] for a in found(nlp, text, ctx)]}"
    assert (spans[0]["canonical"], spans[0]["kind"], spans[0]["region"]) == (
        canonical,
        kind,
        region,
    )
    assert spans[0]["mention"]


# (sentence, context, canonical names that must all be found)
# fmt: off
FOUND = [
    # coordinated regions share the core
    ("对临夏州和积石山县住建部门落实省委省政府相关要求精神进行督查", GANSU,
     {"临夏回族自治州住房和城乡建设局", "积石山保安族东乡族撒拉族自治县住房和城乡建设局"}),
    ("陕西、甘肃、宁夏、青海、新疆和新疆生产建设兵团总工会参加会议,天津市总工会负责同志应邀出席会议。",
     GANSU, {"陕西省总工会", "甘肃省总工会", "宁夏回族自治区总工会", "青海省总工会",
             "新疆维吾尔自治区总工会", "新疆生产建设兵团总工会", "天津市总工会"}),
    ("会上,陕西省、青海省、宁夏回族自治区、新疆维吾尔自治区、新疆生产建设兵团、甘肃省总工会签署了协作机制",
     GANSU, {"陕西省总工会", "甘肃省总工会", "宁夏回族自治区总工会", "青海省总工会",
             "新疆维吾尔自治区总工会", "新疆生产建设兵团总工会"}),
    # joint bodies, sub-bodies, units sent to another body, parents of compound cores
    ("省纪委监委驻省总工会机关纪检组组长孙旺生,省总工会经审会主任罗世文", GANSU,
     {"中共甘肃省纪律检查委员会", "甘肃省监察委员会", "甘肃省总工会",
      "中共甘肃省纪律检查委员会甘肃省监察委员会驻甘肃省总工会机关纪检组",
      "甘肃省总工会经费审查委员会"}),
    ("据了解,省住建厅灾后重建专班下设7个督查组", GANSU,
     {"甘肃省住房和城乡建设厅", "甘肃省住房和城乡建设厅灾后重建专班"}),
    ("会上,省总工会办公室主任,陇西县委副书记冯继波汇报了陇西县脱贫攻坚工作情况。", GANSU,
     {"甘肃省总工会办公室", "中国共产党陇西县委员会"}),
    ("市政协党组书记、主席姚鸿波主持会议", DATONG,
     {"中国人民政治协商会议大同市委员会党组", "中国人民政治协商会议大同市委员会"}),
    ("记者从省政府新闻办举行的系列新闻发布会获悉", QINGHAI,
     {"青海省人民政府新闻办公室", "青海省人民政府"}),
    ("省总工会驻马河镇杨营村工作队队长、第一书记张鹏,宏伟乡井儿村工作队队长、第一书记杨德举", GANSU,
     {"甘肃省总工会驻马河镇杨营村工作队", "甘肃省总工会驻宏伟乡井儿村工作队"}),
    # companies, schools and other bodies found by their suffix
    ("位于徐州经济技术开发区的江苏威拉新材料科技有限公司,从事3D打印金属粉末研发生产", GANSU,
     {"江苏威拉新材料科技有限公司"}),
    ("抑或是在陆家未来智慧园、协鑫科技控股有限公司,一路上,大家在对比中找差距", GANSU,
     {"协鑫科技控股有限公司"}),
    ("为确保飞行校验的顺利进行,甘肃省民航机场集团联合各方成立飞行校验保障工作组", GANSU,
     {"甘肃省民航机场集团"}),
    ("先后组织京东科技等大型数字企业在山西通用航空职业技术学院、大同师范高等专科学校进行广泛宣传",
     DATONG, {"山西通用航空职业技术学院", "大同师范高等专科学校"}),
    ("8月15日,国内权威评级机构安融信用评级有限公司对绍兴滨海新区企业袍江控股集团作出评定", ZHEJIANG,
     {"安融信用评级有限公司", "袍江控股集团"}),
    ("与会人员现场观摩了义乌市城投集团下属义乌市城建燃气经营有限公司义亭液化气储配站。近年来,城建燃气公司坚持",
     ZHEJIANG, {"义乌市城投集团", "义乌市城建燃气经营有限公司"}),
    ("生命健康产业园项目工地上,建设现场一片火热;安吉县惠业家具有限公司车间里,生产设备飞速运转", ZHEJIANG,
     {"安吉县惠业家具有限公司"}),
    ("相关工作经验得到全国城镇燃气安全专项整治工作专班办公室的充分肯定并实施推广。", ZHEJIANG,
     {"全国城镇燃气安全专项整治工作专班办公室"}),
    ("由绍兴市人民政府授权绍兴袍江经济开发区管理委员会履行出资人职责", ZHEJIANG,
     {"绍兴市人民政府", "绍兴袍江经济开发区管理委员会"}),
    ("8月16日,发布活动在杭州市儿童福利院举行。杭州市福利彩票发行中心向杭州市儿童福利院捐赠公益物资",
     ZHEJIANG, {"杭州市儿童福利院", "杭州市福利彩票发行中心"}),
    ("同时,开展法律援助服务,和甘肃申律律师事务所合作。依托职工健康协会,争取了捐赠项目", GANSU,
     {"甘肃申律律师事务所", "职工健康协会"}),
    ("今年以来,金昌水泥集团坚持把维护职工合法权益作为工会工作的出发点和落脚点", GANSU,
     {"金昌水泥集团"}),
    ("威远公司在学习宣传贯彻过程中,按照集团要求。全部加入公发集团“学习强国”工作群", GANSU,
     {"威远公司", "公发集团"}),
    ("来到中铁二十局市政公司的会议室。“我们始终视员工为企业最宝贵的资源。”该公司工会主席谢小刚说。",
     GANSU, {"中铁二十局市政公司", "中铁二十局市政公司工会"}),
    ("在桐乡市政务服务大厅医保窗口增设的“潮汐窗口”前", ZHEJIANG, {"桐乡市政务服务大厅"}),
    ("将一大批年轻大学生,纳入“青苗党支部”培养", ZHEJIANG, {"青苗党支部"}),
]
# fmt: on


# Bodies named by patterns of their own, and sub-bodies written without their body
# (sentence, context, expected canonical names)
# fmt: off
PATTERNED = [
    ("近日，习近平总书记亲临十三届全国人大二次会议甘肃代表团的重要讲话如同春风吹遍陇原大地",
     GANSU, {"第十三届全国人民代表大会第二次会议甘肃代表团", "全国人民代表大会"}),
    ("来到中铁二十局市政公司的会议室，各种荣誉奖牌、奖杯占满了一整面", GANSU,
     {"中铁二十局", "中铁二十局市政公司"}),                                    # a numbered bureau
    ("5月26日,中国资本市场50人论坛(智库)甘肃行考察团及江浙知名企业家座谈", GANSU,
     {"中国资本市场50人论坛"}),                                               # an N人论坛 think tank
    ("代表团不论是在中科院安全可控信息技术产业化基地,还是在全球数字创新中心", GANSU,
     {"中科院安全可控信息技术产业化基地"}),                                   # a national body's base
    ("观摩了义乌市城投集团下属义乌市城建燃气经营有限公司义亭液化气储配站安全生产标准化工作做法。",
     ZHEJIANG, {"义乌市城建燃气经营有限公司义亭液化气储配站", "义乌市城建燃气经营有限公司"}),
    ("据悉，2018年以来，省总工会认真贯彻落实中央、省委的部署安排，抓出成效。认真促进帮扶工作"
     "落实，党组把脱贫攻坚作为第一位的责任紧紧抓在手中", GANSU,
     {"中共甘肃省总工会党组"}),                                               # not 省委's: no 党组
    ("听取市政协主题教育工作开展情况及办公室、各专委会工作汇报", DATONG,
     {"中国人民政治协商会议大同市委员会办公室"}),
    ("本报讯 去年以来，临泽县总工会积极回应广大职工群众的新期待。\n临泽县总工会及时调整服务"
     "职工工作重点，联合县人社局对困难职工进行了培训。\n同时，开展法律援助服务，设立法律援助办公室，"
     "完善法律援助相关制度", GANSU, {"临泽县总工会法律援助办公室"}),             # the article's body
    ("“现在这样容易形成拥堵,安全隐患也大。”在锦北街道“调小青”工作室,90后党员何瑶正在调解居民纠纷",
     ZHEJIANG, {"锦北街道“调小青”工作室"}),                                    # a township's room
    ("针对项目在建设或运行过程中存在的问题与难题,孝源街道抽调党员骨干组成“突击队”,深入一线解决实际问题",
     ZHEJIANG, {"孝源街道突击队"}),                                            # a team it forms
    ("平川区总工会通过“送政策、送岗位、送培训、送服务”等形式,积极为求职者搭建创业就业平台。"
     "在困难职工帮扶中心电子屏上滚动播出企业招聘信息", GANSU,
     {"白银市平川区困难职工帮扶中心"}),                                        # a centre where
]


def test_short_name_after_its_group_takes_the_full_name(nlp):
    text = ("观摩了义乌市城投集团下属义乌市城建燃气经营有限公司义亭液化气储配站安全生产标准化"
            "工作做法。接下来,义乌城投城建燃气公司将进一步夯实“标准化先行”")
    spans = {a["text"]: a["canonical"] for a in found(nlp, text, ZHEJIANG)}
    assert spans["义乌城投城建燃气公司"] == "义乌市城建燃气经营有限公司"
# fmt: on


@pytest.mark.parametrize("text,ctx,expected", PATTERNED)
def test_patterned_and_bare_sub_bodies(nlp, text, ctx, expected):
    assert expected <= names(nlp, text, ctx)


@pytest.mark.parametrize("text,ctx,expected", FOUND)
def test_agencies_found(nlp, text, ctx, expected):
    assert expected <= names(nlp, text, ctx)


# Constructed sentences (not from the seeds) for patterns the seeds lack.
# fmt: off
CONSTRUCTED = [
    ("省委书记主持会议并讲话。兰州市委书记主持召开会议。", GANSU,
     {"中国共产党甘肃省委员会", "中国共产党兰州市委员会"}),                     # 省委|书记 is one word
    ("市委常委、宣传部部长李四参加会议。", DATONG,
     {"中国共产党大同市委员会", "中共大同市委员会宣传部"}),                      # a sibling body
    ("省纪委常委、监委委员陈七通报了情况。", GANSU,
     {"中共甘肃省纪律检查委员会", "甘肃省监察委员会"}),
    ("中国人民银行甘肃省分行行长王八表示", GANSU, {"中国人民银行甘肃省分行"}),  # region after
    ("兰州新区管委会主任王五带队检查。", GANSU, {"兰州新区管理委员会"}),        # a zone
]
# fmt: on


@pytest.mark.parametrize("text,ctx,expected", CONSTRUCTED)
def test_constructed_patterns(nlp, text, ctx, expected):
    assert expected <= names(nlp, text, ctx)


def test_other_countries_bodies_are_not_ours(nlp):
    assert names(nlp, "随后,美国防部长在记者会上表示", GANSU) == set()


def test_short_company_name_takes_the_full_name(nlp):
    text = (
        "与会人员现场观摩了义乌市城投集团下属义乌市城建燃气经营有限公司义亭液化气储配站。"
        "近年来,城建燃气公司坚持“标准化先行”"
    )
    short = [a for a in found(nlp, text, ZHEJIANG) if a["text"] == "城建燃气公司"]
    assert short and short[0]["canonical"] == "义乌市城建燃气经营有限公司"


def test_reference_names_the_body_before(nlp):
    text = "来到中铁二十局市政公司的会议室。“我们始终视员工为企业最宝贵的资源。”该公司工会主席谢小刚说。"
    ref = [a for a in found(nlp, text, GANSU) if a["text"] == "该公司"]
    assert ref and ref[0]["canonical"] == "中铁二十局市政公司"


def test_sub_body_knows_its_parent(nlp):
    spans = found(nlp, "省总工会经审会主任罗世文", GANSU)
    sub = [a for a in spans if a["canonical"] == "甘肃省总工会经费审查委员会"]
    assert sub and sub[0]["parent"] == "甘肃省总工会"


def test_joint_bodies_do_not_share_a_span(nlp):
    spans = found(nlp, "省纪委监委驻省总工会机关纪检组组长孙旺生", GANSU)
    joint = [
        a
        for a in spans
        if a["canonical"] in ("中共甘肃省纪律检查委员会", "甘肃省监察委员会")
    ]
    assert len(joint) == 2 and joint[0]["text"] != joint[1]["text"]
    assert {a["kind"] for a in joint} == {"party", "government"}


# (sentence, context, surface or canonical that must not be an agency)
# fmt: off
NOT_AGENCIES = [
    ("省住建厅相关负责人表示,住建部门将强化监督检查", GANSU, "中华人民共和国住房和城乡建设部"),
    ("省住建厅相关负责人表示,住建部门将强化监督检查", GANSU, "住建部门"),         # which one?
    ("省医疗保障局与各州市医疗保障局签订责任书", GANSU, "各州市医疗保障局"),       # every one
    ("增加农商银行等多家代征银行的线下柜台", GANSU, "多家代征银行"),
    ("定位为产业投融资和创新推进的国有资本运营公司", ZHEJIANG, "国有资本运营公司"),
    ("威远公司在学习宣传贯彻过程中,按照集团要求,改变传统的学习教育方式", GANSU, "集团"),
    ("杭州市临安区锦南街道的返乡创业大学生厉琳", ZHEJIANG, "返乡创业大学"),
    ("在全国率先出台藏蒙医院制剂医保目录", QINGHAI, "藏蒙医院"),
    ("为方便居民就近缴费,在手机端集中办理业务", GANSU, "中共中央办公厅"),   # 中办 in 集中办理
    ("深入学习贯彻习近平总书记关于人民政协工作的重要思想,发挥政协应有的作用", DATONG,
     "中国人民政治协商会议全国委员会"),                                        # bare 政协
    ("由绍兴市人民政府授权绍兴袍江经济开发区管理委员会履行出资人职责", ZHEJIANG,
     "天津市滨海新区管理委员会"),                                              # 开发区 is no 区
    ("在新闻媒体平台开设专题专栏,及时曝光不文明现象", QINGHAI, "青海日报"),
    ("着力推动基层党组织建设，以党建推动扶贫工作", GANSU, "党组"),              # 党组织
    ("省委认真研究，党组把脱贫攻坚作为第一位的责任", GANSU,
     "中共中国共产党甘肃省委员会党组"),                                        # a committee has none
    ("各单位设立法律援助办公室，完善制度", GANSU, "法律援助办公室"),              # no body to own it
    ("临泽县总工会及时调整工作重点。不断巩固扩大职工服务中心规范化建设成果", GANSU,
     "临泽县职工服务中心"),                                                     # centres in general
]
# fmt: on


@pytest.mark.parametrize("text,ctx,absent", NOT_AGENCIES)
def test_not_an_agency(nlp, text, ctx, absent):
    spans = found(nlp, text, ctx)
    assert absent not in {a["canonical"] for a in spans} | {a["text"] for a in spans}


def test_bare_paper_word_needs_a_known_paper(nlp):
    assert (
        names(nlp, "本报讯 近日,全省医保扶贫问题整改工作推进会在兰州召开", Context())
        == set()
    )


def test_pipeline_config_runs_agencies_after_regions():
    from kg.nlp.pipeline import build_nlp

    order = build_nlp().pipe_names
    assert (
        order.index("kg_regions")
        < order.index("kg_agencies")
        < order.index("kg_persons")
    )


def test_seed_pages_against_gold(seed_pages, gold_dir):
    """Agency names found on the seed pages against the gold: the floor of what the
    component reaches (its spans only; the report adds nothing to agencies)."""
    from kg.eval import normalise
    from kg.nlp.pipeline import process_page

    tp = n_pred = n_gold = 0
    for name, page in seed_pages.items():
        gold = json.loads((gold_dir / name.replace(".txt", ".json")).read_text("utf-8"))
        expected = {normalise(a["name"]) for a in gold["agencies"]}
        got = set()
        for item in process_page(page):
            for doc in (item.title, item.body):
                if doc is not None:
                    got |= {
                        normalise(s._.kg["canonical"]) for s in kg_spans(doc, "AGENCY")
                    }
        tp += len(expected & got)
        n_pred += len(got)
        n_gold += len(expected)
    precision, recall = tp / n_pred, tp / n_gold
    assert precision >= 0.88 and recall >= 0.78, (precision, recall)
