"""JSON-LD that reads naturally: compacted with ontology/context.jsonld, streamed.

The file is one JSON object: the context of ontology/context.jsonld inline (no fetch
needed), then ``@graph``: the node objects of the default graph, then one
``{"@id": <graph>, "@graph": [...]}`` block per named graph (the provenance graph and
each article's graph). One node object per line::

    {"@id": "region:620100", "@type": "schema:AdministrativeArea", "name": "兰州市",
     "code": "620100", "level": "prefecture", "containedIn": "region:620000"}

A property takes its context term (``name``, ``holds``, ``value`` …) and a value is
written bare when the term's type or language says what it is (``"name": "兰州市"`` is
``"兰州市"@zh``; ``"containedIn": "region:620000"`` an IRI); otherwise it is a value
object (``{"@value": "figures", "@language": "en"}``). IRIs are compacted with kg's
prefixes. Parsing the file back (pyoxigraph, rdflib, any JSON-LD 1.1 processor) gives
the store's quads exactly.

Written subject by subject (in IRI order, so the same graph gives the same file): only
the subjects of the graph being written are held in memory, no node longer than it
takes to write it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg.errors import ExportError
from kg.export import atomic_file
from kg.graph.namespaces import PREFIXES

#: The JSON-LD context kg's terms are defined in.
CONTEXT_FILE = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_XSD_INTEGER = _XSD + "integer"


def load_context(path: str | Path = CONTEXT_FILE) -> dict[str, Any]:
    """The ``@context`` object of a context file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{path}: {exc}") from None
    return data["@context"]


class Compactor:
    """Terms, prefixes and value forms of one context."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.prefixes = {k: v for k, v in context.items()
                         if isinstance(v, str) and v.endswith(("/", "#"))}
        # longest namespace first, so region: wins over kgid:
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        #: full property IRI → (term, its @type or None, its @language or None)
        self.terms: dict[str, tuple[str, str | None, str | None]] = {}
        for term, definition in context.items():
            if term in self.prefixes or term.startswith("@"):
                continue
            if isinstance(definition, str):
                iri, kind, lang = definition, None, None
            else:
                iri, kind, lang = (definition.get("@id"), definition.get("@type"),
                                   definition.get("@language"))
            if not iri:
                continue
            full = self.expand(iri)
            self.terms.setdefault(full, (term, self.expand(kind) if kind and kind != "@id"
                                         else kind, lang))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        for prefix, namespace in self._by_length:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def node_id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return self.compact(term.value)

    def key(self, predicate: str) -> str:
        hit = self.terms.get(predicate)
        return hit[0] if hit is not None else self.compact(predicate)

    def value(self, predicate: str, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
        """The JSON form of ``obj`` under the key of ``predicate``."""
        _, kind, lang = self.terms.get(predicate, (None, None, None))
        if isinstance(obj, ox.NamedNode | ox.BlankNode):
            ref = self.node_id(obj)
            return ref if kind == "@id" else {"@id": ref}
        assert isinstance(obj, ox.Literal)
        text = obj.value
        if obj.language:
            if lang == obj.language and kind is None:
                return text
            return {"@value": text, "@language": obj.language}
        datatype = obj.datatype.value
        if datatype == _XSD_STRING:
            return text if kind is None and lang is None else {"@value": text}
        if kind == datatype:
            if datatype == _XSD_INTEGER and _canonical_int(text):
                return int(text)
            return text
        return {"@value": text, "@type": self.compact(datatype)}


def _canonical_int(text: str) -> bool:
    try:
        return str(int(text)) == text and abs(int(text)) < 2**53
    except ValueError:
        return False


def node_objects(store: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph,
                 compactor: Compactor) -> Iterator[dict[str, Any]]:
    """The node objects of one graph: one per subject, subjects in IRI order, a
    subject's statements in predicate order (the same graph gives the same file)."""
    subjects = {q.subject for q in store.quads_for_pattern(None, None, None, graph)}
    for subject in sorted(subjects, key=str):
        types: list[str] = []
        props: dict[str, list[Any]] = {}
        quads = sorted(store.quads_for_pattern(subject, None, None, graph),
                       key=lambda q: (q.predicate.value, str(q.object)))
        for quad in quads:
            predicate = quad.predicate.value
            if predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                types.append(compactor.compact(quad.object.value))
                continue
            props.setdefault(compactor.key(predicate), []).append(
                compactor.value(predicate, quad.object))
        node: dict[str, Any] = {"@id": compactor.node_id(subject)}
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        for key, values in props.items():
            node[key] = values[0] if len(values) == 1 else values
        yield node


def _graph_names(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode]:
    return sorted(store.named_graphs(), key=str)


def _dump(node: dict[str, Any]) -> str:
    return json.dumps(node, ensure_ascii=False, separators=(", ", ": "))


def _write(out: TextIO, store: ox.Store, compactor: Compactor) -> dict[str, int]:
    nodes = graphs = 0
    out.write('{\n"@context": ')
    out.write(json.dumps(compactor.context, ensure_ascii=False, indent=1))
    out.write(',\n"@graph": [')
    first = True
    for node in node_objects(store, ox.DefaultGraph(), compactor):
        out.write(("\n" if first else ",\n") + _dump(node))
        first = False
        nodes += 1
    for name in _graph_names(store):
        out.write(("\n" if first else ",\n") + '{"@id": ' +
                  json.dumps(compactor.node_id(name), ensure_ascii=False) + ', "@graph": [')
        first = False
        graphs += 1
        inner_first = True
        for node in node_objects(store, name, compactor):
            out.write(("\n  " if inner_first else ",\n  ") + _dump(node))
            inner_first = False
            nodes += 1
        out.write("\n]}")
    out.write("\n]\n}\n")
    return {"quads": len(store), "node objects": nodes, "named graphs": graphs}


def write_jsonld(store: ox.Store, path: str | Path,
                 context: dict[str, Any] | None = None) -> dict[str, int]:
    """Write the store as compacted JSON-LD to ``path``; returns counts."""
    compactor = Compactor(context if context is not None else load_context())
    missing = {p: ns for p, ns in PREFIXES.items() if compactor.prefixes.get(p) != ns}
    if missing:
        raise ExportError(f"{CONTEXT_FILE}: prefixes differ from kg's: {sorted(missing)}")
    try:
        with atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
            counts = _write(out, store, compactor)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None
    return counts


__all__ = ["CONTEXT_FILE", "Compactor", "load_context", "node_objects", "write_jsonld"]
