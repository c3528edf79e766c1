"""The property-graph exports of the seed graph: Neo4j import CSV, LadybugDB, GraphML.

Neo4j cannot be installed here, so its files are checked for what ``neo4j-admin
database import full`` requires (header fields, one ID column per node file, unique IDs
per ID space, every relationship end a node of the named space, typed values that
parse), and the very same files are loaded into LadybugDB, whose counts and rows must
match the RDF graph they came from (the seed's Ladybug database is loaded from its Neo4j
export folder). The GraphML file is read back with networkx.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import ladybug
import networkx as nx
import pyoxigraph as ox
import pytest
from test_export_rdf import GANSU, HU_ZHUO, UNION_POST, seed_exports

from kg.errors import ExportError
from kg.export.ladybug import load_statements
from kg.export.neo4j import (
    IMPORT_SCRIPT,
    LOAD_CSV_SCRIPT,
    MAPPING_FILE,
    parse_header,
)
from kg.export.propertygraph import PropertyGraph, camel_to_upper_snake

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    return seed_exports(tmp_path_factory)


@pytest.fixture(scope="module")
def rdf_shape(seed):
    """What the property graph must hold, counted from the RDF triples directly:
    the node IRIs, the relationship triples, the literal values."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in seed.store}
    nodes, edges, literals = set(), set(), 0
    for t in triples:
        nodes.add(t.subject.value)
        if isinstance(t.object, ox.Literal):
            literals += 1
        elif t.predicate.value != RDF_TYPE:
            nodes.add(t.object.value)
            edges.add((t.subject.value, t.predicate.value, t.object.value))
    return nodes, edges, literals


@pytest.fixture(scope="module")
def neo4j_files(seed):
    """(manifest, {file: (header, rows)}) of the Neo4j export."""
    folder = seed.files["neo4j"]
    manifest = json.loads((folder / MAPPING_FILE).read_text("utf-8"))
    files = {}
    for name in manifest["node_files"] + manifest["relationship_files"]:
        with open(folder / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        files[name] = (rows[0], rows[1:])
    return manifest, files


# -- Neo4j files ------------------------------------------------------------------------


def test_export_neo4j_headers_are_valid_for_neo4j_admin(neo4j_files):
    manifest, files = neo4j_files
    for name in manifest["node_files"]:
        header, _ = files[name]
        fields = [parse_header(h) for h in header]
        ids = [f for f in fields if f["type"] == "ID"]
        assert len(ids) == 1 and ids[0]["space"] == Path(name).stem, name
        assert sum(f["type"] == "LABEL" for f in fields) == 1, name
        names = [f["name"] for f in fields if f["name"]]
        assert len(names) == len(set(names)), name
        assert all(f["type"] in ("ID", "LABEL", "string", "long", "double", "boolean")
                   for f in fields), name
    for name in manifest["relationship_files"]:
        header, _ = files[name]
        fields = [parse_header(h) for h in header]
        assert [f["type"] for f in fields] == ["START_ID", "END_ID", "TYPE"], name
        rel, start, end = Path(name).stem.split("__")
        assert (fields[0]["space"], fields[1]["space"]) == (start, end), name


def test_export_neo4j_ids_are_unique_and_every_end_exists(neo4j_files):
    manifest, files = neo4j_files
    spaces: dict[str, set[str]] = {}
    for name in manifest["node_files"]:
        header, rows = files[name]
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids)), name
        label = Path(name).stem
        assert {row[header.index(":LABEL")] for row in rows} == {label}
        spaces[label] = set(ids)
    every = [i for ids in spaces.values() for i in ids]
    assert len(every) == len(set(every))  # an IRI is one node under one label
    for name in manifest["relationship_files"]:
        header, rows = files[name]
        rel, start, end = Path(name).stem.split("__")
        assert rows, name
        for s, o, kind in rows:
            assert s in spaces[start] and o in spaces[end], (name, s, o)
            assert kind == rel


def test_export_neo4j_typed_values_parse(neo4j_files):
    manifest, files = neo4j_files
    delimiter = manifest["array_delimiter"]
    for name in manifest["node_files"]:
        header, rows = files[name]
        fields = [parse_header(h) for h in header]
        for row in rows:
            assert len(row) == len(fields), name
            for field, cell in zip(fields, row, strict=True):
                if not cell or field["type"] in ("ID", "LABEL", "string"):
                    continue
                for value in cell.split(delimiter) if field["list"] else [cell]:
                    if field["type"] == "long":
                        int(value)
                    elif field["type"] == "double":
                        float(value)
                    else:
                        assert value in ("true", "false")


def test_export_neo4j_counts_match_the_rdf_graph(neo4j_files, rdf_shape):
    manifest, files = neo4j_files
    nodes, edges, literals = rdf_shape
    ids = {row[0] for name in manifest["node_files"] for row in files[name][1]}
    assert ids == nodes
    pairs = Counter((s, Path(name).stem.split("__")[0], o)
                    for name in manifest["relationship_files"] for s, o, _ in files[name][1])
    assert sum(pairs.values()) == len(edges) == len(pairs)
    by_type = {rel: spec["predicate"] for rel, spec in manifest["relationships"].items()}
    assert {(s, by_type[rel], o) for s, rel, o in pairs} == edges
    values = 0
    for name in manifest["node_files"]:
        header, rows = files[name]
        for i, head in enumerate(header):
            field = parse_header(head)
            if field["type"] in ("ID", "LABEL") or field["name"] == "types":
                continue
            for row in rows:
                if row[i]:
                    values += len(row[i].split(manifest["array_delimiter"])) \
                        if field["list"] else 1
    assert values == literals


def test_export_neo4j_key_facts(neo4j_files):
    manifest, files = neo4j_files
    header, rows = files["nodes/Region.csv"]
    gansu = dict(zip(header, next(r for r in rows if r[0] == GANSU), strict=True))
    assert gansu["name:string"] == "甘肃省"
    assert gansu["code:string"] == "620000"
    assert gansu["level:string"] == "province"
    assert [HU_ZHUO, UNION_POST, "HOLDS"] in files["relationships/HOLDS__Person__Post.csv"][1]
    assert "value:double" in files["nodes/Observation.csv"][0]
    assert "startOffset:long" in files["nodes/Sentence.csv"][0]
    assert manifest["relationships"]["HOLDS"]["predicate"] == "http://www.w3.org/ns/org#holds"


def test_export_neo4j_scripts_name_every_file(seed, neo4j_files):
    manifest, _ = neo4j_files
    script = (seed.files["neo4j"] / IMPORT_SCRIPT).read_text("utf-8")
    assert "neo4j-admin" in script and "database import full" in script
    assert f"--array-delimiter='{manifest['array_delimiter']}'" in script
    for name in manifest["node_files"]:
        assert f"--nodes={name} " in script
    for name in manifest["relationship_files"]:
        assert f"--relationships={name} " in script
    cypher = (seed.files["neo4j"] / LOAD_CSV_SCRIPT).read_text("utf-8")
    for name in manifest["node_files"] + manifest["relationship_files"]:
        assert f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row" in cypher
    assert cypher.count("IN TRANSACTIONS OF") == \
        len(manifest["node_files"]) + len(manifest["relationship_files"])


def test_export_neo4j_header_parser_refuses_what_neo4j_admin_refuses():
    assert parse_header("iri:ID(Region)") == {"name": "iri", "type": "ID", "list": False,
                                              "space": "Region"}
    assert parse_header("alias:string[]")["list"] is True
    for bad in ("name", "name:text", ":LABEL[]", "name:string(Region)", ":long"):
        with pytest.raises(ExportError):
            parse_header(bad)


def test_export_ladybug_load_statements_declare_and_copy(seed):
    statements = load_statements(seed.files["neo4j"])
    tables = [s for s in statements if s.startswith("CREATE NODE TABLE")]
    rels = [s for s in statements if s.startswith("CREATE REL TABLE")]
    assert len(tables) == len(list((seed.files["neo4j"] / "nodes").iterdir()))
    assert any("`alias` STRING[]" in s for s in tables)
    assert any("`startOffset` INT64" in s for s in tables)
    assert any(s.startswith("CREATE REL TABLE `HOLDS`(FROM `Person` TO `Post`)") for s in rels)
    assert sum(s.startswith("COPY ") for s in statements) == \
        len(tables) + len(list((seed.files["neo4j"] / "relationships").iterdir()))


# -- the Ladybug export -------------------------------------------------------------------


def _scalar(conn, query: str):
    result = conn.execute(query)
    return result.get_next()[0]


def test_export_ladybug_holds_every_node_and_relationship(seed, rdf_shape):
    """The seed's Ladybug database was loaded from its Neo4j export folder
    (export_formats loads it from there when both are asked for): the same rows."""
    nodes, edges, _ = rdf_shape
    db = ladybug.Database(str(seed.files["ladybug"]), read_only=True)
    try:
        conn = ladybug.Connection(db)
        assert _scalar(conn, "MATCH (n) RETURN count(n)") == len(nodes)
        assert _scalar(conn, "MATCH ()-[r]->() RETURN count(r)") == len(edges)
        result = conn.execute("MATCH (p:Person {iri: $iri})-[:HOLDS]->(post:Post)"
                              "-[:POST_ROLE]->(role:Role) RETURN post.iri, role.name",
                              parameters={"iri": HU_ZHUO})
        held = set()
        while result.has_next():
            held.add(tuple(result.get_next()))
        assert (UNION_POST, "主席") in held
        assert _scalar(conn, f"MATCH (r:Region {{iri: '{GANSU}'}}) RETURN r.alias") == ["甘肃"]
        conn.close()
    finally:
        db.close()


def test_export_ladybug_file_is_whole(seed):
    path = seed.files["ladybug"]
    assert path.is_file()
    assert not path.with_name(path.name + ".wal").exists()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]


# -- the conversion --------------------------------------------------------------------------


def test_export_propertygraph_labels_and_names(seed):
    pg = PropertyGraph.from_store(seed.store)
    labels = {node.label for node in pg.nodes.values()}
    assert {"Person", "Agency", "Region", "Program", "Post", "Role", "Observation",
            "Article", "Sentence", "Statement"} <= labels
    assert pg.nodes[HU_ZHUO].label == "Person"
    region = {c.name: c for c in pg.tables["Region"].columns}
    assert region["alias"].is_list and region["code"].kind == "string"
    assert {c.name: c.kind for c in pg.tables["Observation"].columns}["value"] == "double"
    assert pg.rel_types["CONTAINED_IN"] == "https://schema.org/containedInPlace"
    assert pg.rel_types["DERIVED_FROM"] == "http://www.w3.org/ns/prov#wasDerivedFrom"
    assert camel_to_upper_snake("subOrganizationOf") == "SUB_ORGANIZATION_OF"


def test_export_propertygraph_collisions_get_prefixed_names():
    ex = "http://example.com/"
    s, o = ox.NamedNode(ex + "s"), ox.NamedNode(ex + "o")
    triples = [
        ox.Triple(s, ox.NamedNode("http://purl.org/dc/terms/subject"), o),
        ox.Triple(s, ox.NamedNode("http://example.com/other#about"), o),
        ox.Triple(s, ox.NamedNode("http://example.com/v#name"), ox.Literal("x")),
        ox.Triple(s, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  ox.Literal("y", language="zh")),
        ox.Triple(s, ox.NamedNode("http://example.com/n#count"),
                  ox.Literal("3", datatype=ox.NamedNode(
                      "http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    pg = PropertyGraph.from_triples(triples)
    # dcterms:subject is "about" in the context, so is other#about: both get prefixed
    assert pg.rel_types == {"DCTERMS_SUBJECT": "http://purl.org/dc/terms/subject",
                            "HTTP_EXAMPLE_COM_OTHER_ABOUT": "http://example.com/other#about"}
    columns = [(c.name, c.kind, c.is_list) for c in pg.tables["Resource"].columns]
    assert columns == [("iri", "string", False), ("types", "string", True),
                       ("count", "long", False), ("http__example_com_v_name", "string", False),
                       ("skos_prefLabel", "string", False)]
    assert next(pg.rows("Resource")) == ["http://example.com/s", [], 3, "x", "y"]


# -- GraphML ------------------------------------------------------------------------------


def test_export_graphml_reads_back_with_types_and_labels(seed, rdf_shape):
    graph = nx.read_graphml(seed.files["graphml"], force_multigraph=True)
    nodes, edges, _ = rdf_shape
    assert set(graph.nodes) == nodes
    assert graph.number_of_edges() == len(edges)
    gansu = graph.nodes[GANSU]
    assert (gansu["label"], gansu["type"], gansu["code"]) == ("甘肃省", "Region", "620000")
    assert gansu["types"] == "schema:AdministrativeArea"
    person = graph.nodes[HU_ZHUO]
    assert (person["label"], person["type"]) == ("胡焯", "Person")
    holds = [d for _, target, d in graph.out_edges(HU_ZHUO, data=True) if target == UNION_POST]
    assert holds and holds[0]["type"] == "HOLDS"
    assert holds[0]["predicate"] == "http://www.w3.org/ns/org#holds"
    values = [d["value"] for _, d in graph.nodes(data=True) if d["type"] == "Observation"]
    assert values and all(isinstance(v, float) for v in values)
    by_type = defaultdict(int)
    for _, d in graph.nodes(data=True):
        by_type[d["type"]] += 1
    assert by_type["Article"] == 38
