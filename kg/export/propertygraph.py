"""The RDF graph as a property graph: typed node tables and relationship types.

One conversion, three writers (``neo4j``, ``ladybug``, ``graphml``):

- every IRI that is a subject or an IRI object is a node; its primary **label** comes
  from its rdf:types (``PRIMARY_LABELS``: Person, Agency, Region, Program, Post …,
  ``Resource`` when none applies); all its types stay in the ``types`` list property
  as prefixed names (``["org:Organization", "schema:GovernmentOrganization"]``);
- a literal is a **property** of its subject, named by the context term of
  ontology/context.jsonld (``name`` = skos:prefLabel, ``alias`` = skos:altLabel,
  ``code`` = kg:divisionCode, ``text`` = rdf:value …; kg:startOffset and kg:endOffset are
  ``startOffset`` and ``endOffset``), else by the predicate's local name; typed
  ``long``, ``double`` or ``boolean`` when every value of that property under that
  label is an integer, a number or a boolean, else ``string``; a list when some node
  has more than one value. Language tags are dropped (the labels are Chinese);
- a triple with an IRI object is a **relationship** whose type is the term in upper
  snake case (``HOLDS``, ``POST_IN``, ``CONTAINED_IN``, ``ADMINISTERS``,
  ``DERIVED_FROM`` …).

The triples read are the union of all graphs, each once (graph names dropped), so the
statement reifications of the provenance graph (``Statement`` nodes with ``SUBJECT``,
``PREDICATE``, ``OBJECT``, ``DERIVED_FROM`` and ``ATTRIBUTED_TO``) and the article
graphs (``Article``, ``Sentence``) are in it as well. ``mapping()`` says which RDF
term each label, property and relationship type stands for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.export.jsonld import Compactor, load_context
from kg.export.rdf import union_triples
from kg.graph.namespaces import PREFIXES

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = _RDF + "type"
_XSD_STRING = _XSD + "string"

#: rdf:type → node label, most specific first: a node takes the first that applies.
PRIMARY_LABELS: tuple[tuple[str, str], ...] = (
    ("https://schema.org/Person", "Person"),
    ("http://www.w3.org/ns/org#Organization", "Agency"),
    ("https://schema.org/Country", "Region"),
    ("https://schema.org/AdministrativeArea", "Region"),
    ("https://example.org/kg/ontology#Program", "Program"),
    ("https://schema.org/Event", "Event"),
    ("http://www.w3.org/ns/org#Post", "Post"),
    ("http://www.w3.org/ns/org#Role", "Role"),
    ("http://www.w3.org/ns/org#Membership", "Membership"),
    ("http://purl.org/linked-data/cube#Observation", "Observation"),
    ("https://schema.org/NewsArticle", "Article"),
    ("https://example.org/kg/ontology#Sentence", "Sentence"),
    ("http://purl.org/dc/dcmitype/Text", "Page"),
    (_RDF + "Statement", "Statement"),
    ("http://www.w3.org/ns/prov#SoftwareAgent", "Extractor"),
    ("http://www.w3.org/2004/02/skos/core#Concept", "Unit"),
    ("http://purl.org/linked-data/cube#DataSet", "DataSet"),
    ("http://www.w3.org/2004/02/skos/core#ConceptScheme", "ConceptScheme"),
    ("https://schema.org/Organization", "Agency"),
)
#: The label of nodes with no type in PRIMARY_LABELS (predicates named by statements,
#: the figures' structure …).
OTHER_LABEL = "Resource"
#: Property names kept by every node table.
ID_COLUMN = "iri"
TYPES_COLUMN = "types"
#: Property names that differ from the context's terms (``start``/``end`` are keywords
#: in Cypher dialects).
NAME_OVERRIDES = {
    "https://example.org/kg/ontology#startOffset": "startOffset",
    "https://example.org/kg/ontology#endOffset": "endOffset",
}
_PREFERRED = ("name", "alias", "label", "title", "kind", "code", "level", "value", "metric",
              "text", "startOffset", "endOffset")
_INTEGER_TYPES = {_XSD + t for t in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}
_NUMBER_TYPES = _INTEGER_TYPES | {_XSD + t for t in ("decimal", "double", "float")}
_BOOLEAN = _XSD + "boolean"
KINDS = ("string", "long", "double", "boolean")


@dataclass(slots=True)
class Column:
    """A property of a node table: its name, the predicate it stands for, its type."""

    name: str
    predicate: str | None
    kind: str = "string"
    is_list: bool = False


@dataclass(slots=True)
class Node:
    """One node while it is collected: its types and literal values by predicate."""

    types: list[str] = field(default_factory=list)
    props: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    label: str = OTHER_LABEL


@dataclass(slots=True)
class NodeTable:
    """The nodes of one label and their columns (``iri`` first, then ``types``)."""

    label: str
    columns: list[Column]
    ids: list[str]


@dataclass(slots=True)
class RelGroup:
    """The relationships of one type between nodes of two labels."""

    type: str
    start: str
    end: str
    pairs: list[tuple[str, str]]


def camel_to_upper_snake(name: str) -> str:
    """containedIn → CONTAINED_IN, subOrganizationOf → SUB_ORGANIZATION_OF."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).strip("_").upper()


def _identifier(name: str) -> str:
    name = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_")
    return name if name and not name[0].isdigit() else f"p_{name}"


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _kind(datatypes: set[str]) -> str:
    if datatypes and datatypes <= _INTEGER_TYPES:
        return "long"
    if datatypes and datatypes <= _NUMBER_TYPES:
        return "double"
    if datatypes == {_BOOLEAN}:
        return "boolean"
    return "string"


def convert(value: str, kind: str) -> Any:
    """A literal's lexical form as the Python value of a column kind."""
    if kind == "long":
        return int(value)
    if kind == "double":
        return float(value)
    if kind == "boolean":
        return value.strip() in ("true", "1")
    return value


class PropertyGraph:
    """Node tables and relationship groups of a kg graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.tables: dict[str, NodeTable] = {}
        self.groups: dict[tuple[str, str, str], RelGroup] = {}
        #: relationship type → predicate IRI
        self.rel_types: dict[str, str] = {}
        self.compactor = Compactor(load_context())

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_store(cls, store: ox.Store) -> PropertyGraph:
        """Convert the union of the store's graphs."""
        return cls.from_triples(union_triples(store))

    @classmethod
    def from_triples(cls, triples: Any) -> PropertyGraph:
        """Convert distinct triples (an iterable of pyoxigraph triples)."""
        pg = cls()
        nodes = pg.nodes
        edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for triple in triples:
            s = _key(triple.subject)
            node = nodes.get(s)
            if node is None:
                node = nodes[s] = Node()
            p = triple.predicate.value
            o = triple.object
            if isinstance(o, ox.Literal):
                datatype = o.datatype.value if not o.language else _XSD_STRING
                node.props.setdefault(p, []).append((o.value, datatype))
            elif p == _RDF_TYPE and isinstance(o, ox.NamedNode):
                node.types.append(o.value)
            else:
                target = _key(o)
                if target not in nodes:
                    nodes[target] = Node()
                edges[p].append((s, target))
        pg._label_nodes()
        pg._make_tables()
        pg._make_groups(edges)
        return pg

    def _label_nodes(self) -> None:
        rank = {iri: i for i, (iri, _) in enumerate(PRIMARY_LABELS)}
        for node in self.nodes.values():
            best = min((rank[t] for t in node.types if t in rank), default=None)
            node.label = PRIMARY_LABELS[best][1] if best is not None else OTHER_LABEL

    def property_name(self, predicate: str) -> str:
        if predicate in NAME_OVERRIDES:
            return NAME_OVERRIDES[predicate]
        term = self.compactor.terms.get(predicate)
        return _identifier(term[0] if term is not None else _local(predicate))

    def _make_tables(self) -> None:
        ids: dict[str, list[str]] = defaultdict(list)
        datatypes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        multi: dict[str, set[str]] = defaultdict(set)
        for iri, node in self.nodes.items():
            ids[node.label].append(iri)
            seen = datatypes[node.label]
            for p, values in node.props.items():
                seen[p].update(d for _, d in values)
                if len(values) > 1:
                    multi[node.label].add(p)
        for label in sorted(ids):
            columns = [Column(ID_COLUMN, None), Column(TYPES_COLUMN, _RDF_TYPE, "string", True)]
            predicates = datatypes[label]
            names: dict[str, list[str]] = defaultdict(list)
            for p in predicates:
                names[self.property_name(p)].append(p)
            props = []
            for name, preds in names.items():
                for p in preds:
                    unique = name if len(preds) == 1 and name not in (ID_COLUMN, TYPES_COLUMN) \
                        else _identifier(f"{self.compactor.compact(p).replace(':', '_')}")
                    props.append(Column(unique, p, _kind(predicates[p]), p in multi[label]))
            props.sort(key=lambda c: (_PREFERRED.index(c.name) if c.name in _PREFERRED
                                      else len(_PREFERRED), c.name))
            self.tables[label] = NodeTable(label, columns + props, ids[label])

    def _make_groups(self, edges: dict[str, list[tuple[str, str]]]) -> None:
        names: dict[str, list[str]] = defaultdict(list)
        for p in edges:
            term = self.compactor.terms.get(p)
            names[camel_to_upper_snake(term[0] if term is not None else _local(p))].append(p)
        for name, preds in sorted(names.items()):
            for p in preds:
                rel = name if len(preds) == 1 else \
                    camel_to_upper_snake(self.compactor.compact(p).replace(":", "_"))
                self.rel_types[rel] = p
                for s, o in edges[p]:
                    key = (rel, self.nodes[s].label, self.nodes[o].label)
                    group = self.groups.get(key)
                    if group is None:
                        group = self.groups[key] = RelGroup(*key, [])
                    group.pairs.append((s, o))
        self.groups = dict(sorted(self.groups.items()))

    # -- reading -------------------------------------------------------------------------

    def rows(self, label: str) -> Iterator[list[Any]]:
        """The rows of a node table: one value per column (a list for list columns,
        None where the node has no value)."""
        table = self.tables[label]
        for iri in table.ids:
            node = self.nodes[iri]
            row: list[Any] = [iri, [self.compactor.compact(t) for t in node.types]]
            for column in table.columns[2:]:
                values = node.props.get(column.predicate or "")
                if not values:
                    row.append(None)
                elif column.is_list:
                    row.append([convert(v, column.kind) for v, _ in values])
                else:
                    row.append(convert(values[0][0], column.kind))
            yield row

    def display_label(self, iri: str) -> str:
        """What to show for a node: its name, else its rdfs:label or title, else its
        prefixed IRI."""
        props = self.nodes[iri].props
        for p in ("http://www.w3.org/2004/02/skos/core#prefLabel",
                  "http://www.w3.org/2000/01/rdf-schema#label",
                  "http://purl.org/dc/terms/title"):
            if props.get(p):
                return props[p][0][0]
        return self.compactor.compact(iri)

    def counts(self) -> dict[str, int]:
        return {"nodes": len(self.nodes),
                "relationships": sum(len(g.pairs) for g in self.groups.values()),
                "labels": len(self.tables), "relationship types": len(self.rel_types)}

    def mapping(self) -> dict[str, Any]:
        """Which RDF term each label, property and relationship type stands for."""
        classes: dict[str, list[str]] = defaultdict(list)
        for iri, label in PRIMARY_LABELS:
            classes[label].append(iri)
        return {
            "labels": {label: {
                "classes": classes.get(label, []),
                "nodes": len(table.ids),
                "properties": {c.name: {"predicate": c.predicate, "type": c.kind
                                        + ("[]" if c.is_list else "")}
                               for c in table.columns if c.predicate is not None},
            } for label, table in self.tables.items()},
            "relationships": {rel: {
                "predicate": p,
                "count": sum(len(g.pairs) for g in self.groups.values() if g.type == rel),
                "ends": sorted({(g.start, g.end) for g in self.groups.values()
                                if g.type == rel}),
            } for rel, p in sorted(self.rel_types.items())},
            "prefixes": dict(PREFIXES),
        }


def _key(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


__all__ = ["ID_COLUMN", "KINDS", "OTHER_LABEL", "PRIMARY_LABELS", "TYPES_COLUMN", "Column",
           "NodeTable", "PropertyGraph", "RelGroup", "camel_to_upper_snake", "convert"]
