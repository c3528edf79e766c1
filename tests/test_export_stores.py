"""Exports loaded into real stores give kg's own answers.

- An Oxigraph server started here (127.0.0.1, a free port) takes the N-Quads export over
  HTTP (Graph Store Protocol POST) and answers the four analyst queries of queries/
  with the rows ``kg.graph.query`` gives on the built graph.
- ``kg serve`` starts its own read-only server on a build folder, prints its URL, answers
  the same queries, refuses updates, and stops its server when it is stopped.
- The LadybugDB export answers the Cypher equivalents in queries/cypher/ with the same
  rows.

Every server is stopped in a ``finally``; every wait is bounded.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import ladybug
import pyoxigraph as ox
import pytest
from test_export_rdf import QUERIES, seed_exports, table

from kg.graph.query import read_query
from kg.serve import (
    base_url,
    port_in_use,
    prepare_store,
    sparql_prefixes,
    start_server,
    stop,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parents[1]
CYPHER = ROOT / "queries" / "cypher"
HTTP_TIMEOUT = 30


@pytest.fixture(scope="session")
def seed(tmp_path_factory):
    return seed_exports(tmp_path_factory)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None
             ) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {},
                                     method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def sparql(url: str, query: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Run a SELECT over HTTP (SPARQL 1.1 protocol, JSON results) with kg's prefixes."""
    status, body = _request(
        f"{url}/query", urllib.parse.urlencode({"query": sparql_prefixes() + query}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded",
         "Accept": "application/sparql-results+json"})
    assert status == 200, body[:300]
    data = json.loads(body)
    names = data["head"]["vars"]
    rows = [[b[n]["value"] if n in b else None for n in names]
            for b in data["results"]["bindings"]]
    return table(names, rows)


def cypher(conn: ladybug.Connection, query: str) -> tuple[list[str], list[tuple[str, ...]]]:
    result = conn.execute(query)
    names = result.get_column_names()
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return table(names, rows)


# -- Oxigraph over HTTP ---------------------------------------------------------------------


def test_export_nquads_posted_to_oxigraph_server_answer_as_kg(seed, tmp_path):
    port = free_port()
    url = base_url("127.0.0.1", port)
    server = start_server(tmp_path / "db", "127.0.0.1", port, writable=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server, timeout=30)
        status, body = _request(f"{url}/store", seed.files["nq"].read_bytes(),
                                {"Content-Type": "application/n-quads"})
        assert status in (200, 201, 204), body[:300]
        _, rows = sparql(url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        named = sum(1 for q in seed.store if isinstance(q.graph_name, ox.NamedNode))
        assert rows == [(repr(float(named)),)]
        _, rows = sparql(url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert rows == [(repr(float(39)),)]  # 38 article graphs and the provenance graph
        for name in QUERIES:
            names, rows = sparql(url, read_query(f"{name}.rq"))
            expected_names, expected_rows = seed.expected[name]
            assert names == expected_names, name
            assert rows == expected_rows, name
            assert rows, name
    finally:
        stop(server)
    assert not port_in_use("127.0.0.1", port)


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def test_export_kg_serve_answers_read_only_and_stops_its_server(seed, tmp_path):
    port = free_port()
    url = base_url("127.0.0.1", port)
    command = [sys.executable, "-c", "from kg.cli import cli; cli()", "serve",
               str(seed.out), "--port", str(port), "--store", str(tmp_path / "store")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, cwd=ROOT)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        printed = []
        while not any("SPARQL endpoint" in line for line in printed):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"kg serve printed no URL: {printed}"
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, f"kg serve ended: {printed}"
            printed.append(line)
        assert f"{url}/query" in printed[-1] and "read-only" in printed[-1]
        names, rows = sparql(url, read_query("officials_by_province.rq"))
        assert (names, rows) == seed.expected["officials_by_province"]
        status, _ = _request(f"{url}/update", b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                             {"Content-Type": "application/sparql-update"})
        assert status in (403, 404, 405)
        status, _ = _request(f"{url}/store?default", b"<urn:a> <urn:b> <urn:c> .",
                             {"Content-Type": "application/n-triples"})
        assert status in (403, 404, 405)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == 0
    deadline = time.monotonic() + 10
    while port_in_use("127.0.0.1", port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not port_in_use("127.0.0.1", port)  # the oxigraph server went with it


def test_export_serve_store_is_reused_until_the_graph_changes(seed, tmp_path):
    store = tmp_path / "store"
    db = prepare_store(seed.out, store)
    marker = db / "kg-test-marker"
    marker.write_text("x", encoding="utf-8")
    assert prepare_store(seed.out, store) == db and marker.exists()  # reused
    assert prepare_store(seed.out, store, reload=True) == db and not marker.exists()
    graph = tmp_path / "graph.nq"
    graph.write_bytes(seed.files["nq"].read_bytes())
    other = prepare_store(graph, tmp_path / "nq-store")
    (other / "kg-test-marker").write_text("x", encoding="utf-8")
    graph.write_bytes(graph.read_bytes() + b"<urn:a> <urn:b> <urn:c> .\n")
    assert not (prepare_store(graph, tmp_path / "nq-store") / "kg-test-marker").exists()
    assert not [p for p in store.iterdir() if p.name.startswith("db.loading")]


# -- LadybugDB and the Cypher equivalents ------------------------------------------------------


@pytest.fixture(scope="module")
def ladybug_conn(seed):
    db = ladybug.Database(str(seed.files["ladybug"]), read_only=True)
    conn = ladybug.Connection(db)
    try:
        yield conn
    finally:
        conn.close()
        db.close()


def test_export_every_query_has_a_cypher_equivalent():
    rq = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert rq == set(QUERIES)
    assert {p.stem for p in CYPHER.glob("*.cypher")} == rq


@pytest.mark.parametrize("name", QUERIES)
def test_export_ladybug_answers_the_cypher_queries_as_kg(seed, ladybug_conn, name):
    names, rows = cypher(ladybug_conn, (CYPHER / f"{name}.cypher").read_text("utf-8"))
    expected_names, expected_rows = seed.expected[name]
    assert names == expected_names
    assert rows == expected_rows
    assert rows
