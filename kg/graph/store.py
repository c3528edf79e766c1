"""Where the graph lives: an rdflib ``Dataset`` backed by an Oxigraph store.

rdflib's API over Oxigraph (oxrdflib): parsing, serialising and SPARQL run at Oxigraph's
speed (``ox-*`` formats), and the store can live on disk (``path``) so a large corpus
need not fit in memory. Pages are added as N-Quads text (``kg.graph.nt``) that Oxigraph
loads itself, not one rdflib triple at a time.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import KgError
from kg.graph.namespaces import PREFIXES
from kg.io import atomic_file, write_atomic

#: File names ``kg build`` writes into its output folder.
TURTLE_NAME = "graph.ttl"
TRIG_NAME = "graph.trig"
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def new_dataset(path: str | Path | None = None) -> Dataset:
    """An empty dataset on an Oxigraph store (in memory, or on disk at ``path``),
    with kg's prefixes bound; SPARQL sees the union of its graphs as default graph."""
    return dataset_on(ox.Store(str(path)) if path is not None else ox.Store())


def dataset_on(store: ox.Store) -> Dataset:
    """An rdflib dataset over an open Oxigraph store (kg build's on-disk store)."""
    dataset = Dataset(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def store_of(dataset: Dataset) -> ox.Store:
    """The Oxigraph store under a kg dataset (to load N-Quads into it, or query it)."""
    store = dataset.store
    if not isinstance(store, OxigraphStore):
        raise KgError("kg graphs live on an Oxigraph store (kg.graph.store.new_dataset)")
    return store._inner


def triple_count(dataset: Dataset) -> int:
    """Distinct triples over all graphs (the size of graph.ttl)."""
    return len(dataset.store)


def quad_count(dataset: Dataset) -> int:
    """Quads in the store (the size of graph.trig)."""
    return len(store_of(dataset))


def _ordered_prefixes(data: bytes) -> bytes:
    """Put the @prefix lines Oxigraph writes (in hash order) in kg.ttl's order, so the
    same graph always gives the same bytes."""
    lines = data.split(b"\n")
    head = [line for line in lines if line.startswith(b"@prefix ")]
    rank = {p.encode("utf-8") + b":": i for i, p in enumerate(PREFIXES)}
    head.sort(key=lambda line: rank.get(line.split(b" ")[1], len(rank)))
    return b"\n".join(head + lines[len(head):])


def _sort_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> str:
    return "" if isinstance(term, ox.DefaultGraph) else str(term)


def turtle_bytes(dataset: Dataset) -> bytes:
    """The union of all graphs as Turtle with kg's prefixes (graph names dropped),
    subjects in sorted order: the same graph always gives the same bytes."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store_of(dataset)}
    buffer = io.BytesIO()
    ox.serialize(sorted(triples, key=str), buffer, format=ox.RdfFormat.TURTLE,
                 prefixes=PREFIXES)
    return _ordered_prefixes(buffer.getvalue())


def trig_bytes(dataset: Dataset) -> bytes:
    """Every graph as TriG: the default graph (entities, relations, observations), one
    named graph per article, and the provenance graph; one block per graph, sorted."""
    quads = sorted(store_of(dataset), key=lambda q: (
        _sort_key(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    buffer = io.BytesIO()
    ox.serialize(quads, buffer, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return _ordered_prefixes(buffer.getvalue())


#: Up to this many quads graph.ttl / graph.trig are sorted in memory (same graph, same
#: bytes, easy to diff); beyond it they are streamed from the store in its own order
#: (also the same for the same graph), so memory does not grow with the corpus.
SORTED_LIMIT = 1_000_000


def write_graph(dataset: Dataset, out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``graph.ttl`` and ``graph.trig`` into ``out_dir``, each atomically.

    Past ``SORTED_LIMIT`` quads both stream from the store (measured: 87 MB peak
    writing 532k quads, against 419 MB to sort them); graph.ttl then lists a triple
    stated in two graphs twice (the same graph to any Turtle reader), as keeping
    each once would mean holding every triple in memory.
    """
    out = Path(out_dir)
    ttl, trig = out / TURTLE_NAME, out / TRIG_NAME
    if quad_count(dataset) > SORTED_LIMIT:
        store = store_of(dataset)
        prefixes = dict(PREFIXES)
        with atomic_file(trig) as tmp:
            store.dump(str(tmp), ox.RdfFormat.TRIG, prefixes=prefixes)
        with atomic_file(ttl) as tmp:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store),
                         str(tmp), ox.RdfFormat.TURTLE, prefixes=prefixes)
        return ttl, trig
    write_atomic(ttl, turtle_bytes(dataset).decode("utf-8"))
    write_atomic(trig, trig_bytes(dataset).decode("utf-8"))
    return ttl, trig


def graph_file(location: str | Path) -> Path:
    """The graph file for a build folder (graph.trig, else graph.ttl) or a file itself."""
    path = Path(location)
    if path.is_dir():
        for name in (TRIG_NAME, TURTLE_NAME):
            if (path / name).is_file():
                return path / name
        raise KgError(f"{path}: no {TRIG_NAME} or {TURTLE_NAME} here (run kg build first)")
    if not path.is_file():
        raise KgError(f"{path}: no such graph file or folder")
    return path


def load_dataset(location: str | Path, path: str | Path | None = None) -> Dataset:
    """Load a build folder's graph (or a .trig/.ttl/.nq file) into a new dataset."""
    source = graph_file(location)
    formats = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
               ".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES}
    fmt = formats.get(source.suffix.lower())
    if fmt is None:
        raise KgError(f"{source}: unknown graph format (expected .trig, .ttl, .nq or .nt)")
    dataset = new_dataset(path)
    try:
        store_of(dataset).bulk_load(path=str(source), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise KgError(f"{source}: {exc}") from None
    return dataset


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """An Oxigraph term as rdflib's, with xsd:string literals plain (as rdflib's own
    parsers give them: Literal("x") and Literal("x", datatype=XSD.string) differ)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def union_graph(dataset: Dataset) -> Graph:
    """All triples of the dataset in an rdflib in-memory graph (for pyshacl)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for q in store_of(dataset):
        graph.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return graph


__all__ = [
    "DATASET_DEFAULT_GRAPH_ID",
    "TRIG_NAME",
    "TURTLE_NAME",
    "dataset_on",
    "graph_file",
    "load_dataset",
    "new_dataset",
    "store_of",
    "quad_count",
    "trig_bytes",
    "triple_count",
    "turtle_bytes",
    "union_graph",
    "write_graph",
]
