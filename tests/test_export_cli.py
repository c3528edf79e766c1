"""``kg export``, ``kg build --formats`` and ``kg serve`` on the command line."""

from __future__ import annotations

import shutil

import ladybug
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from test_export_rdf import SEEDS, seed_exports

from kg.cli import cli


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    return seed_exports(tmp_path_factory)


@pytest.fixture()
def build_dir(seed, tmp_path):
    """A build folder holding only the seed's graph.trig."""
    folder = tmp_path / "outputs"
    folder.mkdir()
    shutil.copy(seed.out / "graph.trig", folder / "graph.trig")
    return folder


def test_export_cli_nquads_to_a_file(seed, build_dir, tmp_path):
    target = tmp_path / "out" / "kg.nq"
    result = CliRunner().invoke(cli, ["export", str(build_dir), "--format", "nq",
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("kg: N-Quads → ") and f"{len(seed.store)} quads" in \
        result.output
    assert set(ox.parse(path=str(target), format=ox.RdfFormat.N_QUADS)) == set(seed.store)


TINY = """\
<https://example.org/kg/id/person/胡焯-620000> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Person> .
<https://example.org/kg/id/person/胡焯-620000> <http://www.w3.org/2004/02/skos/core#prefLabel> "胡焯"@zh .
<https://example.org/kg/id/person/胡焯-620000> <http://www.w3.org/ns/org#holds> <https://example.org/kg/id/post/甘肃省总工会-主席> .
<https://example.org/kg/id/post/甘肃省总工会-主席> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Post> .
<https://example.org/kg/id/post/甘肃省总工会-主席> <http://www.w3.org/2004/02/skos/core#prefLabel> "甘肃省总工会主席"@zh <https://example.org/kg/id/article/a-0> .
"""


def test_export_cli_ladybug_by_default_beside_the_graph_file(tmp_path):
    graph = tmp_path / "graph.nq"
    graph.write_text(TINY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(graph), "--format", "ladybug"])
    assert result.exit_code == 0, result.output
    assert "2 nodes, 1 relationships" in result.output
    database = tmp_path / "graph.lbug"
    db = ladybug.Database(str(database), read_only=True)
    try:
        conn = ladybug.Connection(db)
        row = conn.execute("MATCH (p:Person)-[:HOLDS]->(post:Post) "
                           "RETURN p.name, post.name, p.types").get_next()
        conn.close()
    finally:
        db.close()
    assert row == ["胡焯", "甘肃省总工会主席", ["schema:Person"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.lbug", "graph.nq"]


def test_export_cli_errors_are_one_line(build_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(build_dir), "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of" in result.output
    result = runner.invoke(cli, ["export", str(tmp_path / "missing"), "--format", "nq"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "no such graph file" in result.output


def test_export_cli_build_writes_the_formats_asked_for(tmp_path):
    out = tmp_path / "outputs"
    page = sorted(SEEDS.glob("*.txt"))[0]
    result = CliRunner().invoke(cli, ["build", str(page), "-o", str(out),
                                      "--formats", "nq,jsonld,neo4j,ttl"])
    assert result.exit_code == 0, result.output
    for name in ("graph.nq", "graph.jsonld", "neo4j/import.sh", "graph.ttl", "graph.trig"):
        assert (out / name).exists(), name
    quads = set(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    assert quads == set(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    bad = CliRunner().invoke(cli, ["build", str(page), "-o", str(tmp_path / "x"),
                                   "--formats", "nq,rdfxml"])
    assert bad.exit_code == 1 and "unknown export format 'rdfxml'" in bad.output


def test_export_cli_serve_help_says_loopback_and_read_only():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--writable" in result.output
    assert "read-only" in result.output
