"""``make bench``: exporting a graph of about a million triples.

The graph is made with kg's own builder from the five seed pages' reports, added again
and again under distinct page ids (``000_01d3…`` → ``000_0001…``, ``000_0002…`` …), so
every copy brings its own articles, sentences, statements and observations while the
people, agencies, regions and programs merge by IRI, as they would across a real corpus.
Then the graph is exported to N-Quads (the number that matters: seconds, not minutes)
and, unless ``--formats`` says otherwise, to the other formats; the N-Quads file is
bulk-loaded with ``oxigraph load`` as ``kg serve`` does.

Writes ``outputs/bench/export.json``.
"""

from __future__ import annotations

import argparse
import pickle
import platform
import re
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.io import write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
#: Formats timed by default (graphml goes through networkx's in-memory tree: slow at 1M).
DEFAULT_FORMATS = ("nq", "nt", "ttl", "trig", "jsonld", "neo4j", "ladybug")


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def seed_reports() -> list[tuple[bytes, str, Path]]:
    """The seed pages' reports, pickled, with the hex part of each page id."""
    from kg.api import extract_file

    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        report = extract_file(path)
        match = re.search(r"_([0-9a-f]{16})", report.doc)
        if match is None:
            raise SystemExit(f"{report.doc}: no 16-digit hex id to vary")
        out.append((pickle.dumps(report), match.group(1), path))
    return out


def copy_report(data: bytes, key: str, copy: int) -> Any:
    """The report with its page id changed in every string that holds it (the same
    length, so the pickle stays valid)."""
    new = f"{copy:04x}{key[4:]}"
    if copy == 0 or new == key:
        return pickle.loads(data)
    return pickle.loads(data.replace(key.encode("ascii"), new.encode("ascii")))


def build_graph(target: int) -> tuple[Any, dict[str, Any]]:
    """A dataset of at least ``target`` distinct triples from copies of the seeds."""
    from kg.graph.build import GraphBuilder

    started = time.perf_counter()
    reports = seed_reports()
    extract_s = time.perf_counter() - started
    builder = GraphBuilder()
    started = time.perf_counter()
    copies = 0

    def add(n: int) -> None:
        nonlocal copies
        for _ in range(n):
            if copies > 0xFFFF:
                raise SystemExit("too many copies")
            for data, key, path in reports:
                builder.add_report(copy_report(data, key, copies), path)
            copies += 1

    # counting distinct triples scans the store: count after one and two copies, add
    # the copies the growth per copy says are missing, count again
    add(1)
    first = builder.triples()
    add(1)
    triples = builder.triples()
    per_copy = max(1, triples - first)
    while triples < target:
        add(-(-(target - triples) // per_copy))
        triples = builder.triples()
    return builder.dataset, {
        "extract_seeds_s": round(extract_s, 2),
        "build_s": round(time.perf_counter() - started, 2),
        "copies_of_the_seeds": copies,
        "pages": copies * len(reports),
        "triples": triples,
        "quads": builder.quads(),
    }


def run(target: int, formats: list[str], work: Path) -> dict[str, Any]:
    from kg.export import DEFAULT_NAMES, export, ox_store

    dataset, graph = build_graph(target)
    results: dict[str, Any] = {"graph": graph, "exports": {}}
    for fmt in formats:
        path = work / DEFAULT_NAMES[fmt]
        started = time.perf_counter()
        result = export(dataset, fmt, path)
        seconds = time.perf_counter() - started
        size = result.size()
        results["exports"][fmt] = {"seconds": round(seconds, 2), "mb": round(size / 1e6, 1),
                                   **result.counts, "peak_rss_mb_so_far": _peak_mb()}
        print(f"kg bench: {fmt:8} {seconds:6.2f} s {size / 1e6:8.1f} MB", flush=True)
    nq = work / DEFAULT_NAMES["nq"]
    if nq.is_file():
        from kg.serve import oxigraph_binary

        db = work / "oxigraph-db"
        started = time.perf_counter()
        subprocess.run([oxigraph_binary(), "load", "--location", str(db), "--file", str(nq)],
                       check=True, capture_output=True)
        results["oxigraph_load_nq_s"] = round(time.perf_counter() - started, 2)
        print(f"kg bench: oxigraph load of graph.nq {results['oxigraph_load_nq_s']:.2f} s",
              flush=True)
    results["store_quads"] = len(ox_store(dataset))
    results["peak_rss_mb"] = _peak_mb()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("outputs/bench"))
    parser.add_argument("--triples", type=int, default=1_000_000,
                        help="Build at least this many distinct triples (default 1M).")
    parser.add_argument("--formats", default=",".join(DEFAULT_FORMATS),
                        help="Formats to time, comma-separated (nq first).")
    args = parser.parse_args(argv)
    from kg.export import parse_formats

    formats = parse_formats(args.formats)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-export-"))
    try:
        results = run(args.triples, formats, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"] = {"python": platform.python_version(), "cpus": _cpus(),
                          "platform": platform.platform()}
    write_json(args.out / "export.json", results)
    nq = results["exports"].get("nq")
    if nq:
        print(f"kg bench: {results['graph']['triples']} triples "
              f"({results['graph']['quads']} quads) → N-Quads in {nq['seconds']:.2f} s; "
              f"written to {args.out / 'export.json'}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


if __name__ == "__main__":
    raise SystemExit(main())
