"""kg_persons on real sentences of the seed pages: officials from title chains with their
posts (title, canonical org, the org's mention), listed names, leaders, quoted speakers,
reporters, and the strings that are no person."""

from __future__ import annotations

import json

import pytest
import spacy

from kg.nlp import agencies, persons  # noqa: F401  (registers the factories)
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

NPC_GS = "甘肃省人民代表大会常务委员会"
UNION_GS = "甘肃省总工会"
CPC = "中国共产党中央委员会"
CPPCC_DT = "中国人民政治协商会议大同市委员会"
POLITBURO = "中国共产党中央委员会政治局"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("kg_agencies")
    nlp.add_pipe("kg_persons")
    nlp.initialize()
    return nlp


def people(
    nlp, text: str, ctx: Context
) -> dict[str, list[tuple[str, str, str | None]]]:
    """name -> posts (title, org, org_mention) over all its mentions."""
    doc = nlp.make_doc(text)
    doc._.ctx = ctx
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    out: dict[str, list] = {}
    for span in kg_spans(doc, "PERSON"):
        posts = out.setdefault(span._.kg["canonical"], [])
        for post in span._.kg["posts"]:
            triple = (post["title"], post["org"], post["org_mention"])
            if triple not in posts:
                posts.append(triple)
    return out


# (sentence, context, name, posts in order)
# fmt: off
POSTS = [
    # org + title + name, chained over 、
    ("省人大常委会副主任、省总工会主席胡焯出席会议并致辞", GANSU, "胡焯",
     [("副主任", NPC_GS, "省人大常委会"), ("主席", UNION_GS, "省总工会")]),
    ("宁夏回族自治区人大常委会副主任、区总工会主席沈左权出席会议。", GANSU, "沈左权",
     [("副主任", "宁夏回族自治区人民代表大会常务委员会", "宁夏回族自治区人大常委会"),
      ("主席", "宁夏回族自治区总工会", "区总工会")]),
    ("3月15日上午,省人大常委会副主任、省总工会主席吴明明在省总工会脱贫攻坚帮扶工作推进会上强调",
     GANSU, "吴明明", [("副主任", NPC_GS, "省人大常委会"), ("主席", UNION_GS, "省总工会")]),
    # a title's own body: 副省长 of the paper's province, 总书记, 国家主席
    ("6月4日,副省长雷思维深入兰州新区调研中央生态环境保护督察通报典型案例", GANSU, "雷思维",
     [("副省长", "甘肃省人民政府", None)]),
    ("新华社北京11月14日电 中共中央总书记、国家主席习近平14日向2023两岸企业家峰会10周年年会致贺信。",
     DATONG, "习近平", [("总书记", CPC, "中共中央"), ("国家主席", "中华人民共和国", None)]),
    # a title after a country
    ("11月14日晚,国家主席习近平乘专机离开北京,应美国总统拜登邀请,赴美国旧金山举行中美元首会晤",
     DATONG, "拜登", [("总统", "美利坚合众国", "美国")]),
    ("陪同习近平出访的有:中共中央政治局常委、中央办公厅主任蔡奇,中共中央政治局委员、外交部部长王毅等。",
     DATONG, "蔡奇", [("常委", POLITBURO, "中共中央政治局"), ("主任", "中共中央办公厅", "中央办公厅")]),
    ("陪同习近平出访的有:中共中央政治局常委、中央办公厅主任蔡奇,中共中央政治局委员、外交部部长王毅等。",
     DATONG, "王毅", [("委员", POLITBURO, "中共中央政治局"),
                     ("部长", "中华人民共和国外交部", "外交部")]),
    # 党组|书记 is a post of the body the 党组 belongs to; a bare title takes the chain's org
    ("市政协党组书记、主席姚鸿波主持会议,并结合政协工作", DATONG, "姚鸿波",
     [("党组书记", CPPCC_DT, "市政协"), ("主席", CPPCC_DT, "市政协")]),
    ("尝试规模化推广“稻虾轮作”,金东区鞋塘办事处上下王村党支部书记王樟成就是这批", ZHEJIANG, "王樟成",
     [("党支部书记", "上下王村党支部", "金东区鞋塘办事处上下王村党支部")]),
    # chained over a comma after a title
    ("会上,省总工会办公室主任,陇西县委副书记冯继波汇报了陇西县脱贫攻坚工作情况。", GANSU, "冯继波",
     [("主任", "甘肃省总工会办公室", "省总工会办公室"),
      ("副书记", "中国共产党陇西县委员会", "陇西县委")]),
    ("会议由省总工会副主席包俊宗主持。", GANSU, "包俊宗", [("副主席", UNION_GS, "省总工会")]),
    ("省纪委监委驻省总工会机关纪检组组长孙旺生,省总工会经审会主任罗世文", GANSU, "孙旺生",
     [("组长", "中共甘肃省纪律检查委员会甘肃省监察委员会驻甘肃省总工会机关纪检组",
       "省纪委监委驻省总工会机关纪检组")]),
    ("省纪委监委驻省总工会机关纪检组组长孙旺生,省总工会经审会主任罗世文,副主席张爱华,副巡视员薛挺以及",
     GANSU, "罗世文", [("主任", "甘肃省总工会经费审查委员会", "省总工会经审会")]),
    # a bare title after another person: the body of the previous post (not its sub-body)
    ("省纪委监委驻省总工会机关纪检组组长孙旺生,省总工会经审会主任罗世文,副主席张爱华,副巡视员薛挺以及",
     GANSU, "张爱华", [("副主席", UNION_GS, "省总工会")]),
    ("省纪委监委驻省总工会机关纪检组组长孙旺生,省总工会经审会主任罗世文,副主席张爱华,副巡视员薛挺以及",
     GANSU, "薛挺", [("副巡视员", UNION_GS, "省总工会")]),
    # 工作队|队长, and the 驻村第一书记 of the village
    ("省总工会驻马河镇杨营村工作队队长、第一书记张鹏,宏伟乡井儿村工作队队长、第一书记杨德举", GANSU, "张鹏",
     [("工作队队长", "甘肃省总工会驻马河镇杨营村工作队", "省总工会驻马河镇杨营村工作队"),
      ("第一书记", "杨营村", "马河镇杨营村")]),
    ("省总工会驻马河镇杨营村工作队队长、第一书记张鹏,宏伟乡井儿村工作队队长、第一书记杨德举", GANSU, "杨德举",
     [("工作队队长", "甘肃省总工会驻宏伟乡井儿村工作队", "宏伟乡井儿村工作队"),
      ("第一书记", "井儿村", "宏伟乡井儿村")]),
    # an enterprise's union named by reference
    ("来到中铁二十局市政公司的会议室。“我们始终视员工为企业最宝贵的资源。”该公司工会主席谢小刚说。",
     GANSU, "谢小刚", [("工会主席", "中铁二十局市政公司工会", "该公司工会")]),
    # reporters: the paper written before the title, or the dateline the byline opens
    ("本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉", GANSU, "李永萍",
     [("记者", "甘肃日报", "甘肃日报")]),
    ("青海日报讯(记者 王菲菲)11月25日,记者从省政府新闻办举行的发布会获悉", QINGHAI, "王菲菲",
     [("记者", "青海日报", "青海日报")]),
    ("本报讯 (记者 周鹏 石杰 实习生 戴东琦)3月15日上午", GANSU, "石杰",
     [("记者", "甘肃日报", "本报")]),
    ("本报讯 (记者 周鹏 石杰 实习生 戴东琦)3月15日上午", GANSU, "戴东琦",
     [("实习生", "甘肃日报", "本报")]),
    # no post without a body: role nouns and staff words only anchor the name
    ("在锦北街道“调小青”工作室,90后党员何瑶正在调解居民纠纷", ZHEJIANG, "何瑶", []),
    ("杭州市临安区锦南街道的返乡创业大学生厉琳,一边把自家的毛笋送到客人车上", ZHEJIANG, "厉琳", []),
    # quoted speakers
    ("任燕顺介绍,《决定》体现甘肃特色", GANSU, "任燕顺", []),
    ("“不用四处奔波,在家门口就能找到一份比较满意的工作,这样的服务真是暖心。”家住平城区东风里附近的王兵说道。",
     DATONG, "王兵", []),
]
# fmt: on


@pytest.mark.parametrize("text,ctx,name,posts", POSTS)
def test_person_and_posts(nlp, text, ctx, name, posts):
    found = people(nlp, text, ctx)
    assert name in found, f"{name} not in {sorted(found)}"
    assert found[name] == posts


# (sentence, context, names listed after one title, sharing its post)
# fmt: off
LISTED = [
    ("市政协副主席刘若亮,董建中,王丽萍、张海兵参加会议。", DATONG,
     ["刘若亮", "董建中", "王丽萍", "张海兵"], ("副主席", CPPCC_DT, "市政协")),
    ("本报讯 (记者 周鹏 石杰 实习生 戴东琦)3月15日上午", GANSU,
     ["周鹏", "石杰"], ("记者", "甘肃日报", "本报")),
]
# fmt: on


@pytest.mark.parametrize("text,ctx,names,post", LISTED)
def test_listed_names_share_the_post(nlp, text, ctx, names, post):
    found = people(nlp, text, ctx)
    for name in names:
        assert found.get(name) == [post], (name, found)


def test_leader_before_title(nlp):
    text = "进一步脚印把习近平总书记为甘肃擘画的宏伟蓝图变为美好现实。"
    assert people(nlp, text, GANSU) == {"习近平": [("总书记", CPC, None)]}


def test_roles_in_text(nlp):
    doc = nlp.make_doc(
        "省人大常委会副主任、省总工会主席胡焯出席会议并致辞,宁夏回族自治区人大常委会"
    )
    doc._.ctx = GANSU
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    person = [s for s in kg_spans(doc, "PERSON") if s.text == "胡焯"][0]
    assert person._.kg["roles_in_text"] == ["出席会议并致辞"]


def test_later_mentions_of_a_known_name(nlp):
    text = "副省长雷思维深入兰州新区调研。雷思维一行先后前往兰州新区化工园区。雷思维强调,要依法依规。"
    doc = nlp.make_doc(text)
    doc._.ctx = GANSU
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [s.text for s in kg_spans(doc, "PERSON")] == ["雷思维"] * 3


# (sentence, context, a string that must not be a person)
# fmt: off
NOT_PERSONS = [
    ("在桐乡市政务服务大厅医保窗口增设的“潮汐窗口”前,刚办理完报销业务的李女士连连点赞。", ZHEJIANG,
     "李女士"),
    ("“工会组织与职工之间要达到情感上的默契。”谢主席告诉记者。", GANSU, "谢主席"),
    ("省住建厅相关负责人表示,住建部门将强化监督检查", GANSU, "相关负责人"),
    ("记者从省医保局获悉,截至今年3月底", GANSU, "从省"),
    ("引导职工有针对性地对企业对标管理提出一些合理化建议", GANSU, "有针"),
    ("党员和入党积极分子全部使用“学习强国”软件", GANSU, "和入党"),
    ("会议指出,西北地区在西部大开发战略全局中地位举足轻重", GANSU, "会议"),
    ("企业家们纷纷表示,甘肃地理区位优势", GANSU, "企业家们"),
    ("陪同习近平出访的有:中共中央政治局委员、外交部部长王毅等。", DATONG, "王毅等"),
    ("省人大常委会副主任、省总工会主席胡焯出席会议并致辞", GANSU, "胡焯出"),
]
# fmt: on


@pytest.mark.parametrize("text,ctx,absent", NOT_PERSONS)
def test_not_a_person(nlp, text, ctx, absent):
    assert absent not in people(nlp, text, ctx)


def test_seed_pages_against_gold(seed_pages, gold_dir):
    """Person names found in the text of the seed pages against the gold (bylines that
    only the ingest sees are left to the report)."""
    from kg.eval import normalise
    from kg.nlp.pipeline import process_page

    tp = n_pred = n_gold = 0
    for name, page in seed_pages.items():
        gold = json.loads((gold_dir / name.replace(".txt", ".json")).read_text("utf-8"))
        expected = {normalise(p["name"]) for p in gold["persons"]}
        bylines = {normalise(b.name) for a in page.articles for b in a.bylines}
        got = set()
        for item in process_page(page):
            for doc in (item.title, item.body):
                if doc is not None:
                    got |= {
                        normalise(s._.kg["canonical"]) for s in kg_spans(doc, "PERSON")
                    }
        tp += len(expected & (got | bylines))
        n_pred += len(got - bylines) + len(bylines)
        n_gold += len(expected)
        assert got - expected == set(), (name, got - expected)
    assert tp / n_gold >= 0.95 and tp / n_pred >= 0.97, (tp, n_pred, n_gold)
