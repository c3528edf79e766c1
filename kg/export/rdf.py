"""Turtle, N-Triples, N-Quads and TriG, streamed from the Oxigraph store to the file.

- ``nq`` and ``trig``: the whole dataset (``Store.dump``): the default graph (entities,
  relations, observations), one named graph per article (its metadata and sentences)
  and ``kggraph:provenance`` (statement reifications, sources of observations).
- ``ttl`` and ``nt``: the union of all graphs with the graph names dropped, each triple
  once (a SPARQL ``CONSTRUCT`` over the union default graph, handed to Oxigraph's
  serializer as it is produced): what ``kg query`` sees.

Nothing is built in memory as one string: Oxigraph writes to the file as it reads the
store. Turtle and TriG carry kg's prefixes. Oxigraph escapes ``%`` in prefixed names
(``program:\\%E2\\%80\\%9C…``), which is valid Turtle 1.1 but which Virtuoso 7.2 keeps
as a backslash in the IRI: load N-Triples or N-Quads into Virtuoso.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import atomic_file
from kg.graph.namespaces import PREFIXES

#: kg format name → Oxigraph format.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def union_triples(store: ox.Store) -> ox.QueryTriples:
    """Every distinct triple of every graph, streamed (an iterator of triples)."""
    result = store.query(_UNION, use_default_graph_as_union=True)
    assert isinstance(result, ox.QueryTriples)
    return result


def _lines(path: Path) -> int:
    """Lines of a file (N-Triples: one triple per line), read in blocks."""
    count = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            count += block.count(b"\n")
    return count


def write_rdf(store: ox.Store, fmt: str, path: str | Path) -> dict[str, int]:
    """Write the store as ``fmt`` (ttl, nt, nq, trig) to ``path``; returns counts."""
    rdf_format = RDF_FORMATS.get(fmt)
    if rdf_format is None:
        raise ExportError(f"{fmt!r} is not an RDF format ({', '.join(RDF_FORMATS)})")
    prefixes = dict(PREFIXES) if fmt in ("ttl", "trig") else None
    try:
        with atomic_file(path) as tmp:
            if rdf_format.supports_datasets:
                store.dump(str(tmp), rdf_format, prefixes=prefixes)
                counts = {"quads": len(store)}
            elif fmt == "nt":  # Oxigraph writes the query's triples itself: no Python
                union_triples(store).serialize(str(tmp), rdf_format)
                counts = {"triples": _lines(tmp)}
            else:
                ox.serialize(union_triples(store), str(tmp), rdf_format, prefixes=prefixes)
                counts = {}
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None
    return counts


__all__ = ["RDF_FORMATS", "union_triples", "write_rdf"]
