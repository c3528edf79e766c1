"""Exports of a kg graph for the stores people already run.

========  =================================================  ===========================
format    what                                               written by
========  =================================================  ===========================
ttl       Turtle: the union of all graphs (graph names       ``rdf.write_rdf``
          dropped), kg's prefixes
nt        N-Triples: the same triples, one per line          ``rdf.write_rdf``
nq        N-Quads: every quad, article and provenance        ``rdf.write_rdf``
          graphs named
trig      TriG: the same dataset with kg's prefixes          ``rdf.write_rdf``
jsonld    JSON-LD compacted with ontology/context.jsonld     ``jsonld.write_jsonld``
          (``"name": "甘肃省"``), one node object per line,
          named graphs as ``@graph`` blocks
graphml   GraphML (networkx) of the property graph, types    ``graphml.write_graphml``
          and labels as attributes, for Gephi / Cytoscape
neo4j     a folder of ``neo4j-admin database import full``   ``neo4j.write_neo4j``
          CSV files, the command (import.sh) and a
          ``LOAD CSV`` script (load-csv.cypher)
ladybug   a LadybugDB (Kùzu) database, loaded from those     ``ladybug.write_ladybug``
          CSV files by COPY FROM
html      graph.html, an explorer that works offline         ``html.write_html``
========  =================================================  ===========================

The RDF formats stream from the Oxigraph store to the file (Oxigraph's serializers); the
property-graph formats (neo4j, ladybug, graphml) go through ``propertygraph``, which
turns the triples into typed node tables and relationship types once for all three.
Every export is written to a temporary sibling and renamed, so an interrupted export
leaves the previous file or folder whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import ExportError
from kg.io import atomic_file, umask
from kg.export.html import write_html

#: Export formats and what they are.
FORMATS: dict[str, str] = {
    "ttl": "Turtle",
    "nt": "N-Triples",
    "nq": "N-Quads",
    "trig": "TriG",
    "jsonld": "JSON-LD",
    "graphml": "GraphML",
    "neo4j": "Neo4j import CSV",
    "ladybug": "LadybugDB database",
}
#: Where ``kg build --formats`` and ``kg export`` without ``-o`` write each format.
DEFAULT_NAMES: dict[str, str] = {
    "ttl": "graph.ttl",
    "nt": "graph.nt",
    "nq": "graph.nq",
    "trig": "graph.trig",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "neo4j": "neo4j",
    "ladybug": "graph.lbug",
}
#: Formats ``kg build`` writes anyway (graph.ttl, graph.trig, sorted): not written twice.
BUILT_ALWAYS = ("ttl", "trig")


@dataclass(slots=True)
class ExportResult:
    """One export: where it went, how long it took and what it holds."""

    format: str
    path: Path
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def size(self) -> int:
        """Bytes written (all files of a folder)."""
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return self.path.stat().st_size if self.path.exists() else 0

    def line(self) -> str:
        what = ", ".join([f"{v} {k}" for k, v in self.counts.items()]
                         + [f"{self.size() / 1e6:.1f} MB"])
        return f"kg: {FORMATS[self.format]} → {self.path} ({what}) in {self.seconds:.1f} s"


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"ttl,nq"`` (or a list of such) as a list of known formats, in order, once each."""
    items = [text] if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in items:
        for name in item.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name not in FORMATS:
                raise ExportError(f"unknown export format {name!r}: expected one of "
                                  f"{', '.join(FORMATS)}")
            if name not in out:
                out.append(name)
    return out


def ox_store(graph: Any) -> ox.Store:
    """The Oxigraph store under a kg dataset (or the store itself)."""
    if isinstance(graph, ox.Store):
        return graph
    from kg.graph.store import store_of

    return store_of(graph)


def export(graph: Any, fmt: str, path: str | Path) -> ExportResult:
    """Write ``graph`` (a kg dataset or an Oxigraph store) as ``fmt`` to ``path``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    store = ox_store(graph)
    path = Path(path)
    started = time.perf_counter()
    if fmt in ("ttl", "nt", "nq", "trig"):
        from kg.export.rdf import write_rdf

        counts = write_rdf(store, fmt, path)
    elif fmt == "jsonld":
        from kg.export.jsonld import write_jsonld

        counts = write_jsonld(store, path)
    else:
        from kg.export.propertygraph import PropertyGraph

        pg = PropertyGraph.from_store(store)
        if fmt == "graphml":
            from kg.export.graphml import write_graphml

            write_graphml(pg, path)
        elif fmt == "neo4j":
            from kg.export.neo4j import write_neo4j

            write_neo4j(pg, path)
        else:
            from kg.export.ladybug import write_ladybug

            write_ladybug(pg, path)
        counts = pg.counts()
    return ExportResult(fmt, path, time.perf_counter() - started, counts)


def export_formats(graph: Any, out_dir: str | Path, formats: Iterable[str],
                   skip: Iterable[str] = ()) -> list[ExportResult]:
    """Write each format under its default name into ``out_dir`` (``kg build --formats``);
    formats in ``skip`` (already written) are left alone. The property graph is made once
    for all the property-graph formats asked for."""
    out = Path(out_dir)
    store = ox_store(graph)
    results = []
    pg = None
    neo4j_folder = None  # the ladybug database is loaded from it when it was just written
    for fmt in parse_formats(list(formats)):
        if fmt in skip:
            continue
        if fmt in ("graphml", "neo4j", "ladybug"):
            from kg.export.propertygraph import PropertyGraph

            started = time.perf_counter()
            pg = pg if pg is not None else PropertyGraph.from_store(store)
            path = out / DEFAULT_NAMES[fmt]
            if fmt == "graphml":
                from kg.export.graphml import write_graphml

                write_graphml(pg, path)
            elif fmt == "neo4j":
                from kg.export.neo4j import write_neo4j

                write_neo4j(pg, path)
                neo4j_folder = path
            else:
                from kg.export.ladybug import write_ladybug

                write_ladybug(pg, path, csv_folder=neo4j_folder)
            results.append(ExportResult(fmt, path, time.perf_counter() - started,
                                        pg.counts()))
        else:
            results.append(export(store, fmt, out / DEFAULT_NAMES[fmt]))
    return results


def export_location(location: str | Path, fmt: str, path: str | Path | None = None
                    ) -> ExportResult:
    """Export the graph a build wrote (its folder, or a .trig/.ttl/.nq/.nt file)."""
    from kg.graph.store import load_dataset

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    location = Path(location)
    if path is None:
        folder = location if location.is_dir() else location.parent
        path = folder / DEFAULT_NAMES[fmt]
    return export(load_dataset(location), fmt, path)


# -- writing safely ----------------------------------------------------------------------


@contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """A temporary sibling folder to fill; it replaces ``path`` (a folder or file) when
    the block ends without an exception, and is removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o777 & ~umask())
    try:
        yield tmp
        _replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replace(new: Path, path: Path) -> None:
    """Move ``new`` to ``path``; an existing ``path`` is moved aside first, then removed."""
    if not path.exists() and not path.is_symlink():
        os.replace(new, path)
        return
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    os.replace(path, old)
    os.replace(new, path)
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    else:
        old.unlink(missing_ok=True)


__all__ = [
    "BUILT_ALWAYS",
    "DEFAULT_NAMES",
    "FORMATS",
    "ExportResult",
    "atomic_dir",
    "atomic_file",
    "export",
    "export_formats",
    "export_location",
    "parse_formats",
    "write_html",
]
