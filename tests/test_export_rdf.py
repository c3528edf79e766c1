"""RDF exports of the seed graph read back: Turtle, N-Triples, N-Quads, TriG, JSON-LD.

The five seed pages are extracted and their graph built once per session
(``seed_exports``, shared with the other test_export_* modules); every format is
exported once from that graph. Each file is parsed back with pyoxigraph (and rdflib)
and compared with the store it came from: the same quads, or the same distinct triples
for the formats without graph names.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.errors import ExportError
from kg.export import DEFAULT_NAMES, FORMATS, atomic_dir, atomic_file, export, parse_formats
from kg.export.jsonld import Compactor, load_context
from kg.graph.namespaces import PREFIXES

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
QUERIES = ("officials_by_province", "medical_insurance_stats", "agencies_and_programs",
           "entity_statements")
KG_ID = "https://example.org/kg/id/"
GANSU = KG_ID + "region/620000"
HU_ZHUO = KG_ID + "person/胡焯-620000"
UNION_POST = KG_ID + "post/甘肃省总工会-主席"


@dataclass
class SeedExports:
    """The seed graph, its build folder, every export of it and kg's own answers."""

    out: Path
    dataset: Any
    store: ox.Store
    files: dict[str, Path] = field(default_factory=dict)
    expected: dict[str, tuple[list[str], list[tuple[str, ...]]]] = field(default_factory=dict)


_CACHE: dict[str, SeedExports] = {}


def normalise(value: Any) -> str:
    """A result cell as text; numbers in one form (SPARQL's 24433300 and Cypher's
    24433300.0 are the same value)."""
    if value is None:
        return ""
    text = str(value)
    try:
        number = float(text)
    except ValueError:
        return text
    return repr(number) if math.isfinite(number) else text


def table(names: list[str], rows: Any) -> tuple[list[str], list[tuple[str, ...]]]:
    return names, sorted(tuple(normalise(v) for v in row) for row in rows)


def seed_exports(tmp_path_factory: pytest.TempPathFactory) -> SeedExports:
    """Build the seed graph, write it as ``kg build`` does, export every format into
    the same folder and run the analyst queries with kg (once per session)."""
    if "seed" in _CACHE:
        return _CACHE["seed"]
    from kg.api import extract_file
    from kg.export import export_formats
    from kg.graph.build import GraphBuilder
    from kg.graph.query import read_query, run_query
    from kg.graph.store import load_dataset, write_graph

    builder = GraphBuilder()
    for path in sorted(SEEDS.glob("*.txt")):
        builder.add_report(extract_file(path), path)
    out = tmp_path_factory.mktemp("export_seed")
    write_graph(builder.dataset, out)
    seed = SeedExports(out, builder.dataset, builder.dataset.store._inner)
    export_formats(builder.dataset, out, FORMATS, skip=("ttl", "trig"))
    for fmt in ("ttl", "trig"):  # kg build's own graph.ttl / graph.trig are sorted copies
        export(builder.dataset, fmt, out / f"export.{fmt}")
        seed.files[fmt] = out / f"export.{fmt}"
    for fmt in FORMATS:
        seed.files.setdefault(fmt, out / DEFAULT_NAMES[fmt])
    dataset = load_dataset(out)  # as kg query sees it
    for name in QUERIES:
        result = run_query(dataset, read_query(f"{name}.rq"))
        seed.expected[name] = table([str(v) for v in result.vars], result)
    _CACHE["seed"] = seed
    return seed


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    return seed_exports(tmp_path_factory)


def _rdflib_parse(target: Graph, path: Path, fmt: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's parsers use its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return target.parse(path, format=fmt)


def _triples(store: ox.Store) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}


# -- the formats ------------------------------------------------------------------------


def test_export_rdf_every_format_is_written(seed):
    for fmt, path in seed.files.items():
        assert path.exists(), fmt
        assert path.is_dir() or path.stat().st_size > 0, fmt


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_export_rdf_dataset_formats_hold_every_quad(seed, fmt):
    parsed = set(ox.parse(path=str(seed.files[fmt]), format=ox.RdfFormat.from_extension(fmt)))
    assert parsed == set(seed.store)
    graphs = {q.graph_name for q in parsed}
    assert ox.NamedNode(KG_ID.replace("id/", "graph/") + "provenance") in graphs
    assert sum(1 for g in graphs if isinstance(g, ox.NamedNode)
               and g.value.startswith(KG_ID + "article/")) == 38


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_export_rdf_triple_formats_hold_every_distinct_triple(seed, fmt):
    parsed = [ox.Triple(q.subject, q.predicate, q.object) for q in
              ox.parse(path=str(seed.files[fmt]), format=ox.RdfFormat.from_extension(fmt))]
    assert len(parsed) == len(set(parsed))
    assert set(parsed) == _triples(seed.store)
    assert len(parsed) < len(seed.store)  # a page is described in each of its articles


def test_export_rdf_turtle_and_trig_use_kg_prefixes(seed):
    ttl = seed.files["ttl"].read_text("utf-8")
    trig = seed.files["trig"].read_text("utf-8")
    assert "@prefix region: <https://example.org/kg/id/region/> ." in ttl
    assert "region:620000 " in ttl
    assert "kggraph:provenance {" in trig


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt")])
def test_export_rdf_rdflib_reads_the_triples(seed, fmt, rdflib_format):
    graph = _rdflib_parse(Graph(), seed.files[fmt], rdflib_format)
    assert len(graph) == len(_triples(seed.store))
    assert (URIRef(GANSU), SKOS.prefLabel, Literal("甘肃省", lang="zh")) in graph
    assert (URIRef(HU_ZHUO), URIRef("http://www.w3.org/ns/org#holds"),
            URIRef(UNION_POST)) in graph


@pytest.mark.parametrize("fmt,rdflib_format", [("nq", "nquads"), ("trig", "trig")])
def test_export_rdf_rdflib_reads_the_quads(seed, fmt, rdflib_format):
    dataset = _rdflib_parse(Dataset(), seed.files[fmt], rdflib_format)
    assert sum(1 for _ in dataset.quads()) == len(seed.store)


# -- JSON-LD ------------------------------------------------------------------------------


def test_export_jsonld_parses_back_to_the_same_quads(seed):
    parsed = set(ox.parse(path=str(seed.files["jsonld"]), format=ox.RdfFormat.JSON_LD))
    assert parsed == set(seed.store)


def test_export_jsonld_rdflib_reads_it(seed):
    dataset = _rdflib_parse(Dataset(), seed.files["jsonld"], "json-ld")
    assert sum(1 for _ in dataset.quads()) == len(seed.store)
    name = (URIRef(GANSU), SKOS.prefLabel, Literal("甘肃省", lang="zh"), None)
    assert any(True for _ in dataset.quads(name))


def test_export_jsonld_reads_naturally(seed):
    data = json.loads(seed.files["jsonld"].read_text("utf-8"))
    assert data["@context"] == load_context()
    nodes = {n["@id"]: n for n in data["@graph"] if "@graph" not in n}
    gansu = nodes["region:620000"]
    assert gansu["@type"] == "schema:AdministrativeArea"
    assert gansu["name"] == "甘肃省"
    assert gansu["code"] == "620000"
    assert gansu["level"] == "province"
    assert "post:甘肃省总工会-主席" in nodes["person:胡焯-620000"]["holds"]
    graphs = {n["@id"]: n["@graph"] for n in data["@graph"] if "@graph" in n}
    assert "kggraph:provenance" in graphs
    sentence = next(n for n in graphs["article:000_01d39a0b178f4c28-0"]
                    if n.get("@type") == "kg:Sentence")
    assert isinstance(sentence["text"], str) and isinstance(sentence["start"], int)
    observations = [n for n in nodes.values() if n.get("@type") == "qb:Observation"]
    assert observations and all(isinstance(n["value"], str) for n in observations)


def test_export_jsonld_value_forms():
    compactor = Compactor(load_context())
    name = "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert compactor.key(name) == "name"
    assert compactor.value(name, ox.Literal("甘肃省", language="zh")) == "甘肃省"
    assert compactor.value(name, ox.Literal("Gansu", language="en")) == \
        {"@value": "Gansu", "@language": "en"}
    assert compactor.value(name, ox.Literal("甘肃省")) == {"@value": "甘肃省"}
    start = "https://example.org/kg/ontology#startOffset"
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert compactor.value(start, ox.Literal("40", datatype=integer)) == 40
    assert compactor.value(start, ox.Literal("040", datatype=integer)) == "040"
    contained = "https://schema.org/containedInPlace"
    assert compactor.value(contained, ox.NamedNode(GANSU)) == "region:620000"
    other = "http://purl.org/dc/terms/alternative"
    assert compactor.key(other) == "dcterms:alternative"
    assert compactor.value(other, ox.NamedNode(GANSU)) == {"@id": "region:620000"}
    assert compactor.compact("urn:x") == "urn:x"


def test_export_jsonld_context_prefixes_are_kg_prefixes():
    assert Compactor(load_context()).prefixes == PREFIXES


# -- writing ------------------------------------------------------------------------------


def test_export_rdf_parse_formats():
    assert parse_formats("ttl, nq,ttl") == ["ttl", "nq"]
    assert parse_formats(["nt", "jsonld,neo4j"]) == ["nt", "jsonld", "neo4j"]
    assert parse_formats("") == []
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        parse_formats("ttl,xml")


def test_export_rdf_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "graph.nq"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text("utf-8") == "previous\n"
    assert list(tmp_path.iterdir()) == [target]
    folder = tmp_path / "neo4j"
    folder.mkdir()
    (folder / "old.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_dir(folder) as tmp:
        (tmp / "new.csv").write_text("y\n", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert [p.name for p in folder.iterdir()] == ["old.csv"]
    with atomic_dir(folder) as tmp:
        (tmp / "new.csv").write_text("y\n", encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == ["new.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq", "neo4j"]


def test_export_rdf_unknown_format_is_an_export_error(seed, tmp_path):
    with pytest.raises(ExportError, match="unknown export format"):
        export(seed.store, "xml", tmp_path / "graph.xml")
