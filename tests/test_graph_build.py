"""The graph builder on small hand-made reports: IRIs, merging, aliases, provenance.

Pages are cut by the real ingest (no NLP); their entities, relations and figures are
written here by hand, so each test states exactly what the builder is given.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
import rdflib.namespace as rdfns
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from kg.figures.extract import Figure
from kg.graph.build import GraphBuilder
from kg.graph.namespaces import (
    AGENCY,
    KG,
    PERSON,
    POST,
    PROGRAM,
    REGION,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SENTENCE,
    UNIT,
)
from kg.graph.provenance import PROVENANCE_GRAPH, date_literal, iri_safe
from kg.graph.store import load_dataset, triple_count, union_graph, write_graph
from kg.ingest import build_page
from kg.relations import Relation
from kg.report import page_report
from kg.resolve import Entity
from kg.types import Provenance

GANSU_PAGE = """## 王伟出席会议

本报兰州讯(记者 李永萍)省人大常委会副主任王伟出席会议。省医保局在我省推进基本医疗保险工作,甘肃参保率达99.12%。
"""
QINGHAI_PAGE = """## 王伟调研

本报西宁讯 王伟在西宁调研。陇西县马河镇开展工作。
"""


def _prov(page, text: str, extractor: str, nth: int = 0) -> Provenance:
    """Where ``text`` occurs (its nth time) in the page, as a provenance record."""
    start = -1
    for _ in range(nth + 1):
        start = page.text.index(text, start + 1)
    for article in page.articles:
        for sentence in article.sentences:
            if sentence.start <= start < sentence.end:
                return Provenance(page.doc, article.index, sentence.index, start,
                                  start + len(text), extractor)
        if article.title_start <= start < article.title_end:
            return Provenance(page.doc, article.index, -1, start, start + len(text),
                              extractor)
    raise AssertionError(f"{text} not in a sentence")


def _entity(page, label: str, name: str, mentions: list[str], nth: int = 0, **attrs):
    entity = Entity(label, name, list(mentions), dict(attrs))
    for mention in mentions:
        entity.provenance.append(_prov(page, mention, f"test.{label.lower()}", nth))
    return entity


def gansu_report(doc: str = "gansu.txt", with_post: bool = True, relation_objects=()):
    page = build_page(GANSU_PAGE, doc, path=f"pages/{doc}", publication="甘肃日报",
                      region="甘肃省", pub_date="2024-06-05")
    report = page_report(page)
    person = _entity(page, "PERSON", "王伟", ["王伟"], nth=1)
    if with_post:
        person.posts.append({"title": "副主任", "org": "甘肃省人民代表大会常务委员会",
                             "org_mention": "省人大常委会"})
    report.entities = {
        "REGION": [_entity(page, "REGION", "甘肃省", ["我省", "甘肃"], level="province",
                           code="620000", parent="中华人民共和国")],
        "AGENCY": [
            _entity(page, "AGENCY", "甘肃省医疗保障局", ["省医保局"], kind="government",
                    region="甘肃省"),
            _entity(page, "AGENCY", "甘肃省人民代表大会常务委员会", ["省人大常委会"],
                    kind="legislature", region="甘肃省"),
        ],
        "PERSON": [person],
        "PROGRAM": [_entity(page, "PROGRAM", "基本医疗保险", ["基本医疗保险"],
                            kind="insurance")],
    }
    report.relations = [
        {"s": "甘肃省医疗保障局", "p": "administers", "o": "基本医疗保险"},
        {"s": "甘肃省医疗保障局", "p": "located_in", "o": "甘肃省"},
        {"s": "王伟出席会议", "p": "reported_by", "o": "李永萍"},
    ]
    if with_post:
        report.relations.append(
            {"s": "王伟", "p": "holds_post", "o": "副主任@甘肃省人民代表大会常务委员会"})
    report.relation_objects = list(relation_objects)
    start = page.text.index("参保率达99.12%")
    report.figure_objects = [Figure(
        text="参保率达99.12%", metric="参保率", metric_norm="参保率", value=99.12, unit="%",
        unit_kind="percent", qualifier="达", change=None, approx=None, date="2024-03-31",
        date_text="截至3月底", period_start=None, period_end=None, scope="甘肃省",
        about="基本医疗保险",
        provenance=Provenance(page.doc, 0, 1, start, start + 10, "figures.rules"))]
    return report


def qinghai_report(doc: str = "qinghai.txt"):
    page = build_page(QINGHAI_PAGE, doc, publication="青海日报", region="青海省")
    report = page_report(page)
    report.entities = {
        "REGION": [_entity(page, "REGION", "马河镇", ["马河镇"], level="township",
                           parent="陇西县")],
        "AGENCY": [], "PROGRAM": [],
        "PERSON": [_entity(page, "PERSON", "王伟", ["王伟"], nth=1)],
    }
    report.relations = [{"s": "马河镇", "p": "part_of", "o": "陇西县"}]
    return report


def _build(*reports) -> GraphBuilder:
    builder = GraphBuilder()
    for report in reports:
        builder.add_report(report)
    return builder


def _has(builder: GraphBuilder, s, p, o) -> bool:
    return (s, p, o) in union_graph(builder.dataset)


def _statements(builder: GraphBuilder, s, p, o) -> list[URIRef]:
    g = builder.dataset.graph(PROVENANCE_GRAPH)
    subjects = set(g.subjects(RDF.subject, s)) & set(g.subjects(RDF.predicate, p))
    return sorted(st for st in subjects if (st, RDF.object, o) in g)


# fmt: off
IRI_SAFE_CASES = [
    ("甘肃省医疗保障局", "甘肃省医疗保障局"),
    ("620000", "620000"),
    ("“一网通办”", "%E2%80%9C一网通办%E2%80%9D"),
    ("江苏省 甘肃省协议", "江苏省%20甘肃省协议"),
    ("a/b#c?d", "a%2Fb%23c%3Fd"),
    ("《决定》", "%E3%80%8A决定%E3%80%8B"),
]
# fmt: on


@pytest.mark.parametrize("name,expected", IRI_SAFE_CASES)
def test_graph_build_iri_safe(name, expected):
    assert iri_safe(name) == expected
    assert URIRef(REGION[iri_safe(name)]).n3()  # a valid IRI


def test_graph_build_iri_safe_keeps_names_apart():
    names = ["省委", "省 委", "省/委", "省%委", "省%2F委"]
    assert len({iri_safe(n) for n in names}) == len(names)


@pytest.mark.parametrize("text,datatype", [
    ("2024-03-31", rdfns.XSD.date), ("2024-03", rdfns.XSD.gYearMonth), ("2024", rdfns.XSD.gYear),
    ("--06-04", rdfns.XSD.gMonthDay),
])
def test_graph_build_date_literal(text, datatype):
    assert date_literal(text) == Literal(text, datatype=datatype)


# fmt: off
LITERAL_CASES = [  # text as it can come off a PDF or an HTML page
    "甘肃基本医保参保率达99.12%",
    '他说:"要抓好落实"',
    "C:\\报表\\2024",
    "第一行\n第二行",
    "回车\r换行",
    '结尾引号"',
    "制表\t符与\x0b控制字符",
]
# fmt: on


@pytest.mark.parametrize("text", LITERAL_CASES)
def test_graph_build_literals_read_back_as_written(text):
    """kg writes terms as N-Triples text itself: Oxigraph must read back the same
    string (quotes, backslashes and line breaks escaped)."""
    import pyoxigraph as ox

    from kg.graph.nt import literal, quad, zh

    data = (quad("<urn:x:s>", "<urn:x:p>", literal(text)) +
            quad("<urn:x:s>", "<urn:x:q>", zh(text), "<urn:x:g>")).encode("utf-8")
    quads = list(ox.parse(data, ox.RdfFormat.N_QUADS))
    assert [q.object.value for q in quads] == [text, text]
    assert quads[1].object.language == "zh"
    if "\n" not in text:  # rdflib's own form (a line break it writes Turtle-only)
        assert literal(text) == Literal(text).n3()


def test_graph_build_file_names_any_characters_become_iris():
    """A page file may be named with spaces, quotes or braces: its page, article and
    sentence IRIs percent-encode them (an IRI cannot hold them as they are)."""
    report = gansu_report(doc='甘肃 日报"6月5日"{一版}.txt')
    ds = _build(report).dataset
    page = URIRef("https://example.org/kg/id/page/甘肃%20日报%226月5日%22%7B一版%7D")
    assert (page, DCTERMS.identifier, Literal('甘肃 日报"6月5日"{一版}.txt')) \
        in union_graph(ds)


def test_graph_build_regions_by_code_and_by_parent():
    builder = _build(gansu_report(), qinghai_report())
    gansu = REGION["620000"]
    assert _has(builder, gansu, KG.divisionCode, Literal("620000"))
    assert _has(builder, gansu, SKOS.prefLabel, Literal("甘肃省", lang="zh"))
    # a township has no code: its parent's code and its name; the parents come from
    # the division table up to the country
    mahe = REGION[f"{'621122'}-马河镇"]
    assert _has(builder, mahe, URIRef("https://schema.org/containedInPlace"), REGION["621122"])
    assert _has(builder, REGION["621122"], URIRef("https://schema.org/containedInPlace"),
                REGION["621100"])
    assert _has(builder, REGION["621100"], KG.divisionCode, Literal("621100"))


def test_graph_build_aliases_are_alt_labels_but_not_deictic_mentions():
    builder = _build(gansu_report())
    assert _has(builder, AGENCY["甘肃省医疗保障局"], SKOS.altLabel, Literal("省医保局", lang="zh"))
    assert _has(builder, REGION["620000"], SKOS.altLabel, Literal("甘肃", lang="zh"))
    assert not _has(builder, REGION["620000"], SKOS.altLabel, Literal("我省", lang="zh"))


def test_graph_build_namesakes_in_different_provinces_stay_apart():
    builder = _build(gansu_report(), qinghai_report(), gansu_report("gansu2.txt", with_post=False))
    g = union_graph(builder.dataset)
    people = sorted(g.subjects(SKOS.prefLabel, Literal("王伟", lang="zh")))
    assert people == [PERSON["王伟-620000"], PERSON["王伟-630000"]]
    # the Gansu 王伟 of two files is one node, mentioned in both pages' articles
    articles = set(g.objects(PERSON["王伟-620000"], DCTERMS.isReferencedBy))
    assert len(articles) == 2


def test_graph_build_post_membership_and_its_source():
    builder = _build(gansu_report())
    person, post = PERSON["王伟-620000"], POST["甘肃省人民代表大会常务委员会-副主任"]
    assert _has(builder, person, ORG.holds, post)
    assert _has(builder, post, ORG.postIn, AGENCY["甘肃省人民代表大会常务委员会"])
    g = union_graph(builder.dataset)
    memberships = set(g.subjects(ORG.member, person))
    assert len(memberships) == 1
    [st] = _statements(builder, person, ORG.holds, post)
    source = g.value(st, PROV.wasDerivedFrom)
    assert "省人大常委会副主任王伟" in str(g.value(source, RDF.value))


def test_graph_build_relation_without_recorded_provenance_gets_the_shared_sentence():
    builder = _build(gansu_report())
    s, o = AGENCY["甘肃省医疗保障局"], PROGRAM["基本医疗保险"]
    assert _has(builder, s, KG.administers, o)
    [st] = _statements(builder, s, KG.administers, o)
    ds = union_graph(builder.dataset)
    assert ds.value(st, PROV.wasDerivedFrom) == SENTENCE["gansu-0-1"]
    page_text = gansu_report().page.text
    start, end = int(ds.value(st, KG.startOffset)), int(ds.value(st, KG.endOffset))
    assert page_text[start:end].startswith("省医保局") and page_text[start:end].endswith("基本医疗保险")
    assert str(ds.value(ds.value(st, PROV.wasAttributedTo), RDFS.label)) == "resolve.administers"


def test_graph_build_relation_object_provenance_is_used():
    report = gansu_report()
    page = report.page
    prov = _prov(page, "省医保局在我省推进基本医疗保险", "relations.test_rule")
    report.relation_objects = [Relation("甘肃省医疗保障局", "administers", "基本医疗保险", prov)]
    builder = _build(report)
    [st] = _statements(builder, AGENCY["甘肃省医疗保障局"], KG.administers, PROGRAM["基本医疗保险"])
    g = union_graph(builder.dataset)
    agent = g.value(st, PROV.wasAttributedTo)
    assert str(g.value(agent, RDFS.label)) == "relations.test_rule"


def test_graph_build_article_graph_and_reported_by():
    builder = _build(gansu_report())
    article = URIRef(str(SENTENCE).replace("/sentence/", "/article/") + "gansu-0")
    graph = builder.dataset.graph(article)
    assert (article, DCTERMS.title, Literal("王伟出席会议", lang="zh")) in graph
    assert (article, DCTERMS.source, Literal("pages/gansu.txt")) in graph
    assert (article, DCTERMS.publisher, AGENCY["甘肃日报"]) in graph
    assert (article, DCTERMS.date, Literal("2024-06-05", datatype=rdfns.XSD.date)) in graph
    assert (article, DCTERMS.creator, PERSON["李永萍-620000"]) in graph
    assert (SENTENCE["gansu-0-0"], RDF.type, KG.Sentence) in graph


def test_graph_build_observation():
    builder = _build(gansu_report())
    ds = union_graph(builder.dataset)
    [obs] = list(ds.subjects(RDFS.label, Literal("参保率达99.12%", lang="zh")))
    assert ds.value(obs, KG.value) == Literal(Decimal("99.12"))
    assert ds.value(obs, SDMX_ATTRIBUTE.unitMeasure) == UNIT["%25"]
    assert ds.value(obs, SDMX_DIMENSION.refArea) == REGION["620000"]
    assert ds.value(obs, SDMX_DIMENSION.refPeriod) == Literal("2024-03-31", datatype=rdfns.XSD.date)
    assert ds.value(obs, DCTERMS.subject) == PROGRAM["基本医疗保险"]
    assert ds.value(obs, PROV.wasDerivedFrom) == SENTENCE["gansu-0-1"]


def test_graph_build_same_input_same_quads():
    first = {str(q) for q in _build(gansu_report(), qinghai_report()).dataset.store._inner}
    second = {str(q) for q in _build(gansu_report(), qinghai_report()).dataset.store._inner}
    assert first == second


def test_graph_build_written_files_read_back(tmp_path):
    builder = _build(gansu_report(), qinghai_report())
    ttl, trig = write_graph(builder.dataset, tmp_path)
    text = ttl.read_text("utf-8")
    assert text.startswith("@prefix kg: <https://example.org/kg/ontology#> .")
    assert "region:620000" in text and "agency:甘肃省医疗保障局" in text
    assert triple_count(load_dataset(ttl)) == builder.triples()
    assert triple_count(load_dataset(tmp_path)) == builder.triples()  # from graph.trig
    assert load_dataset(tmp_path).store._inner.__len__() == builder.quads()


def test_graph_build_store_on_disk(tmp_path):
    builder = GraphBuilder(store_path=tmp_path / "store")
    builder.add_report(gansu_report())
    assert (tmp_path / "store").is_dir()
    assert builder.triples() == _build(gansu_report()).triples()
