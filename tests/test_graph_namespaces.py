"""The ontology, its generated Python namespace and the JSON-LD context agree."""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.graph.namespaces import KG, PREFIXES

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
NAMESPACES = ROOT / "kg" / "graph" / "namespaces.py"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("gen_namespace", ROOT / "tools" / "gen_namespace.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kg_terms(graph: Graph) -> set[str]:
    ns = str(KG._NS)
    return {str(s)[len(ns):] for s in graph.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(ns) and str(s) != ns}


def test_graph_namespaces_file_is_what_the_generator_writes(generator):
    assert NAMESPACES.read_text(encoding="utf-8") == generator.render(ONTOLOGY), (
        "kg/graph/namespaces.py drifted from ontology/kg.ttl: "
        "run python tools/gen_namespace.py")


def test_graph_namespaces_terms_equal_the_ontology_terms(ontology):
    in_python = set(KG.__annotations__)
    assert in_python == _kg_terms(ontology)


def test_graph_namespaces_unknown_term_raises():
    with pytest.raises(AttributeError):
        KG.divisonCode  # noqa: B018 - the typo is the point


@pytest.mark.parametrize("term", sorted(KG.__annotations__))
def test_graph_namespaces_term_has_labels_and_comment(ontology, term):
    iri = KG[term]
    labels = {lit.language for lit in ontology.objects(iri, RDFS.label)
              if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels, f"kg:{term} needs rdfs:label @zh and @en"
    assert any(True for _ in ontology.objects(iri, RDFS.comment)), f"kg:{term} has no comment"


def test_graph_namespaces_prefixes_are_the_ontology_prefixes(ontology):
    declared = {p: str(ns) for p, ns in Graph(bind_namespaces="none")
                .parse(ONTOLOGY, format="turtle").namespaces()}
    assert declared == PREFIXES


def test_graph_namespaces_context_names_only_known_terms():
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and "://" in v}
    assert prefixes == PREFIXES
    for name, value in context.items():
        iri = value if isinstance(value, str) else value["@id"]
        if iri.startswith("kg:"):
            assert iri[3:] in KG.__annotations__, f"context term {name} → unknown {iri}"


def test_graph_namespaces_context_expands_a_region():
    context = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    doc = {"@context": context, "@id": "region:620000", "name": "甘肃省", "code": "620000",
           "containedIn": "region:中华人民共和国"}
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph().parse(data=json.dumps(doc, ensure_ascii=False), format="json-ld")
    region = URIRef(PREFIXES["region"] + "620000")
    assert (region, KG.divisionCode, Literal("620000")) in graph
    assert (region, URIRef(PREFIXES["skos"] + "prefLabel"), Literal("甘肃省", lang="zh")) in graph
