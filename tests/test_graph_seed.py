"""The graph of the five seed pages: SHACL, the analyst queries, provenance, stable IRIs.

The seed pages are extracted once per session and their graph is built and written once;
every test reads that graph. The expected rows are facts the pages state (and the gold
files list): 胡焯 is 主席 of 甘肃省总工会, 甘肃's basic medical insurance coverage is
99.12%, 甘肃省医疗保障局 administers 基本医疗保险.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, to_isomorphic
import rdflib.namespace as rdfns
from rdflib.namespace import DCTERMS, ORG, QB, RDF, SKOS

from kg.cli import cli
from kg.graph.build import GraphBuilder
from kg.graph.namespaces import KG, POST, REGION, SDMX_ATTRIBUTE
from kg.graph.query import format_result, read_query, run_query
from kg.graph.store import load_dataset, union_graph, write_graph
from kg.graph.validate import validate_graph


@pytest.fixture(scope="session")
def seed_reports(seed_paths):
    from kg.api import extract_file

    return [extract_file(p) for p in seed_paths]


@pytest.fixture(scope="session")
def seed_graph(seed_reports, tmp_path_factory):
    """(builder, output folder with graph.ttl and graph.trig) of the five seed pages."""
    builder = GraphBuilder()
    for report in seed_reports:
        builder.add_report(report, report.page.path)
    out = tmp_path_factory.mktemp("seed_graph")
    write_graph(builder.dataset, out)
    return builder, out


@pytest.fixture(scope="session")
def seed_dataset(seed_graph):
    """The seed graph as ``kg query`` sees it: read back from graph.trig."""
    return load_dataset(seed_graph[1])


def _select(dataset, name: str, **bindings) -> list[dict[str, str]]:
    result = run_query(dataset, read_query(name), bindings)
    names = [str(v) for v in result.vars]
    return [{n: ("" if v is None else str(v)) for n, v in zip(names, row, strict=True)}
            for row in result]


def _report(expected, actual) -> str:
    both, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["graphs differ:"]
    lines += [f"- {t}" for t in sorted(only_expected.serialize(format="nt").splitlines())[:20]]
    lines += [f"+ {t}" for t in sorted(only_actual.serialize(format="nt").splitlines())[:20]]
    return "\n".join(lines)


# -- files and size --------------------------------------------------------------------


def test_graph_seed_files_have_prefixes_and_named_graphs(seed_graph):
    builder, out = seed_graph
    ttl = (out / "graph.ttl").read_text("utf-8")
    trig = (out / "graph.trig").read_text("utf-8")
    assert ttl.startswith("@prefix kg: <https://example.org/kg/ontology#> .")
    assert "region:620000 " in ttl
    assert "article:000_01d39a0b178f4c28-0 {" in trig
    assert "kggraph:provenance {" in trig
    assert builder.triples() > 5000
    graphs = set(builder.dataset.store._inner.named_graphs())
    assert len(graphs) >= 37 + 1  # articles + provenance


# -- SHACL -----------------------------------------------------------------------------


def test_graph_seed_conforms_to_the_shapes(seed_graph):
    result = CliRunner().invoke(cli, ["validate", str(seed_graph[1])])
    assert result.exit_code == 0, result.output[:3000]
    assert "Conforms: True" in result.output


def test_graph_seed_broken_graph_fails_the_shapes(seed_dataset):
    graph: Graph = union_graph(seed_dataset)
    observation = next(graph.subjects(RDF.type, QB.Observation))
    graph.remove((observation, SDMX_ATTRIBUTE.unitMeasure, None))
    post = POST["甘肃省总工会-主席"]
    graph.remove((post, ORG.postIn, None))
    graph.remove((REGION["620000"], KG.divisionCode, None))
    outcome = validate_graph(graph)
    assert not outcome.conforms
    assert {str(observation), str(post), str(REGION["620000"])} <= outcome.focus_nodes()
    assert "a post is in exactly one organisation" in outcome.text
    assert "has its GB/T 2260 code" in outcome.text


# -- the analyst queries ---------------------------------------------------------------


def test_graph_seed_officials_by_province(seed_dataset):
    rows = _select(seed_dataset, "officials_by_province.rq")
    found = {(r["province"], r["person"], r["title"], r["organisation"]) for r in rows}
    assert ("甘肃省", "胡焯", "主席", "甘肃省总工会") in found
    assert ("甘肃省", "胡焯", "副主任", "甘肃省人民代表大会常务委员会") in found
    assert ("宁夏回族自治区", "沈左权", "主席", "宁夏回族自治区总工会") in found
    # newspaper staff are not officials
    assert not any(r["title"] == "记者" for r in rows)
    only_gansu = _select(seed_dataset, "officials_by_province.rq", province="甘肃省")
    assert only_gansu and {r["province"] for r in only_gansu} == {"甘肃省"}
    assert ("胡焯", "主席") in {(r["person"], r["title"]) for r in only_gansu}


def test_graph_seed_medical_insurance_statistics(seed_dataset):
    rows = _select(seed_dataset, "medical_insurance_stats.rq")
    found = {(r["region"], r["code"], r["metric"], r["value"], r["unit"]) for r in rows}
    assert ("甘肃省", "620000", "参保率", "99.12", "%") in found
    assert ("甘肃省", "620000", "基本医疗保险参保人数", "24433300", "人") in found
    coverage = next(r for r in rows if r["figure"] == "参保率达99.12%")
    assert coverage["period_as_written"] == "截至今年3月底"
    assert "参保率达99.12%" in coverage["sentence"]
    # only medical insurance: no figure of this list is about pensions
    assert not any("养老" in r["metric"] for r in rows)


def test_graph_seed_agencies_of_a_region_and_their_programs(seed_dataset):
    rows = _select(seed_dataset, "agencies_and_programs.rq", region="甘肃省")
    assert rows and {r["region"] for r in rows} == {"甘肃省"}
    pairs = {(r["agency"], r["program"]) for r in rows}
    assert ("甘肃省医疗保障局", "基本医疗保险") in pairs
    assert ("甘肃省医疗保障局", "职工基本医疗保险") in pairs
    # agencies located under 甘肃省 are agencies of 甘肃省
    assert "兰州市" in {r["located_in"] for r in rows}
    assert not any(r["located_in"] in ("江苏省", "大同市") for r in rows)


def test_graph_seed_everything_about_an_entity_by_alias(seed_dataset):
    rows = _select(seed_dataset, "entity_statements.rq", label="省医保局")
    assert rows and {r["entity"] for r in rows} == {"甘肃省医疗保障局"}
    administers = [r for r in rows if r["predicate"].endswith("#administers")
                   and r["other"] == "基本医疗保险"]
    assert administers
    assert all("医保局" in r["sentence"] and "基本医疗保险" in r["sentence"]
               for r in administers)
    mentions = [r for r in rows if r["predicate"].endswith("isReferencedBy")]
    assert all("省医保局" in r["sentence"] or "医疗保障局" in r["sentence"] for r in mentions)
    assert {r["article"] for r in rows} >= {"甘肃基本医保参保率达99.12%"}


# -- provenance ------------------------------------------------------------------------

COVERAGE_SOURCE = """
SELECT ?sentence ?sentence_start ?start ?end ?extractor ?article WHERE {
  ?obs a qb:Observation ; rdfs:label ?figure ;
      prov:wasDerivedFrom ?s ; kg:startOffset ?start ; kg:endOffset ?end ;
      prov:wasAttributedTo/rdfs:label ?extractor .
  FILTER(STR(?figure) = "参保率达99.12%")
  ?s rdf:value ?sentence ; kg:startOffset ?sentence_start ;
      dcterms:isPartOf/dcterms:title ?article .
}
"""


def test_graph_seed_provenance_of_a_figure_is_its_sentence(seed_dataset):
    [row] = list(run_query(seed_dataset, COVERAGE_SOURCE))
    sentence, sentence_start, start, end, extractor, article = (x.toPython() for x in row)
    assert sentence.startswith("本报兰州讯") and sentence.endswith("参保率达99.12%。")
    assert sentence[start - sentence_start:end - sentence_start] == "参保率达99.12%"
    assert extractor == "figures.rules"
    assert article == "甘肃基本医保参保率达99.12%"


RELATION_SOURCE = """
SELECT ?sentence ?file WHERE {
  ?st rdf:subject agency:甘肃省医疗保障局 ; rdf:predicate kg:administers ;
      rdf:object program:基本医疗保险 ; prov:wasDerivedFrom ?s .
  ?s rdf:value ?sentence ; dcterms:isPartOf/dcterms:source ?file .
}
"""


def test_graph_seed_provenance_of_a_relation_is_its_sentence(seed_dataset):
    rows = [(str(s), str(f)) for s, f in run_query(seed_dataset, RELATION_SOURCE)]
    assert rows
    for sentence, source in rows:
        assert "基本医疗保险" in sentence
        assert source.endswith("000_01d39a0b178f4c28.txt")


def test_graph_seed_every_statement_has_a_source(seed_dataset):
    query = """SELECT (COUNT(?st) AS ?n) WHERE { ?st a rdf:Statement .
               FILTER NOT EXISTS { ?st prov:wasDerivedFrom ?s } }"""
    assert int(next(iter(run_query(seed_dataset, query)))[0]) == 0


# -- one node per entity, stable IRIs ----------------------------------------------------


def test_graph_seed_one_node_across_articles_and_files(seed_graph):
    ds = union_graph(seed_graph[0].dataset)
    hu = list(ds.subjects(SKOS.prefLabel, Literal("胡焯", lang="zh")))
    assert len(hu) == 1
    articles = {str(a) for a in ds.objects(hu[0], DCTERMS.isReferencedBy)}
    assert len(articles) == 2  # the two meeting reports of seed 000
    gansu_docs = {str(a).rsplit("/", 1)[-1].split("-")[0]
                  for a in ds.objects(REGION["620000"], DCTERMS.isReferencedBy)}
    assert {"000_01d39a0b178f4c28", "004_adddd0f31746669f"} <= gansu_docs


def test_graph_seed_same_input_same_graph(seed_reports, seed_graph):
    again = GraphBuilder()
    for report in seed_reports:
        again.add_report(report, report.page.path)
    a, b = union_graph(seed_graph[0].dataset), union_graph(again.dataset)
    assert set(a) == set(b), _report(a, b)


#: The classes whose nodes are the graph's entities, articles, sentences and figures.
NODE_CLASSES = (rdfns.SDO.Person, ORG.Organization, rdfns.SDO.AdministrativeArea, KG.Program,
                ORG.Post, QB.Observation, KG.Sentence, rdfns.SDO.NewsArticle)


def _node_iris(dataset) -> set[str]:
    graph = union_graph(dataset)
    return {str(s) for cls in NODE_CLASSES for s in graph.subjects(RDF.type, cls)}


def test_graph_seed_fresh_extraction_same_iris(seed_reports, seed_paths):
    """Extracting a page again gives the same IRIs for its entities, posts, figures,
    articles and sentences. (Relations are compared by the test above on the same
    reports: in one process a second extraction of a page may state other relations.)"""
    from kg.api import extract_file

    first, fresh = GraphBuilder(), GraphBuilder()
    first.add_report(seed_reports[0], seed_paths[0])
    fresh.add_report(extract_file(seed_paths[0]), seed_paths[0])
    a, b = _node_iris(first.dataset), _node_iris(fresh.dataset)
    assert a == b, f"only first: {sorted(a - b)[:10]}; only fresh: {sorted(b - a)[:10]}"
    assert "https://example.org/kg/id/region/620000" in a
    assert "https://example.org/kg/id/agency/甘肃省医疗保障局" in a


# -- the command line ----------------------------------------------------------------------


def test_graph_seed_cli_query_table_csv_json(seed_graph):
    out = str(seed_graph[1])
    runner = CliRunner()
    table = runner.invoke(cli, ["query", out, "-f", "entity_statements.rq",
                                "--bind", "label=胡焯"])
    assert table.exit_code == 0, table.output
    assert "胡焯" in table.output and "rows)" in table.output
    csv_out = runner.invoke(cli, ["query", out, "--format", "csv",
                                  "SELECT ?code WHERE { region:620000 kg:divisionCode ?code }"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines() == ["code", "620000"]
    json_out = runner.invoke(cli, ["query", out, "--format", "json", "-f",
                                   str(Path("queries") / "medical_insurance_stats.rq")])
    assert json_out.exit_code == 0, json_out.output
    assert '"value": "99.12"' in json_out.output


def test_graph_seed_cli_query_errors_are_one_line(seed_graph):
    result = CliRunner().invoke(cli, ["query", str(seed_graph[1]), "SELECT WHERE {"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "SPARQL" in result.output


def test_graph_seed_cli_validate_fails_on_a_broken_graph(tmp_path):
    post = POST["甘肃省总工会-主席"]
    broken = Graph()
    broken.add((post, RDF.type, ORG.Post))  # no holder, no organisation, no role
    path = tmp_path / "broken.nt"
    path.write_text(broken.serialize(format="nt"), "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Conforms: False" in result.output and "a post has a holder" in result.output


def test_graph_seed_query_table_formats(seed_dataset):
    text = format_result(run_query(seed_dataset, read_query("officials_by_province.rq"),
                                   {"province": "宁夏回族自治区"}))
    header, rule, *rows, count = text.splitlines()
    assert header.split(" | ")[0].strip() == "province"
    assert set(rule) <= {"-", "+"}
    assert count == f"({len(rows)} rows)" and all("宁夏" in r for r in rows)
