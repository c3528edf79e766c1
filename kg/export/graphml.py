"""GraphML through networkx, for Gephi and Cytoscape.

The property graph of ``kg.export.propertygraph`` as a directed multigraph: node ids are
the IRIs; each node has ``label`` (its name, else its rdfs:label or title, else its
prefixed IRI: what Gephi and Cytoscape show), ``type`` (Person, Agency, Region …: colour
by it), ``types`` (its rdf:types, space-separated) and its properties (``name``,
``alias``, ``code``, ``level``, ``kind``, ``value`` …; a property ``label`` of the
property graph is ``rdfsLabel`` here, lists are joined with `` | ``); each edge has
``type`` (HOLDS, CONTAINED_IN …) and ``predicate`` (the RDF property's IRI), and the
type as its key. Numbers stay numbers (GraphML ``long`` / ``double``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ExportError
from kg.export import atomic_file
from kg.export.propertygraph import PropertyGraph

LIST_SEPARATOR = " | "
_RENAMED = {"label": "rdfsLabel", "types": "types", "iri": "iri"}


def to_networkx(pg: PropertyGraph) -> nx.MultiDiGraph:
    """The property graph as a networkx MultiDiGraph with GraphML-ready attributes."""
    graph = nx.MultiDiGraph()
    kinds: dict[str, str] = {}
    for table in pg.tables.values():
        for column in table.columns[2:]:
            name = _RENAMED.get(column.name, column.name)
            kind = "string" if column.is_list else column.kind
            if kinds.setdefault(name, kind) != kind:
                kinds[name] = "string"
    for label, table in pg.tables.items():
        columns = table.columns
        for row in pg.rows(label):
            iri = row[0]
            attrs: dict[str, Any] = {"label": pg.display_label(iri), "type": label,
                                     "types": " ".join(row[1])}
            for column, value in zip(columns[2:], row[2:], strict=True):
                if value is None:
                    continue
                name = _RENAMED.get(column.name, column.name)
                if isinstance(value, list):
                    value = LIST_SEPARATOR.join(str(v) for v in value)
                elif kinds[name] == "string" and not isinstance(value, str):
                    value = str(value)
                attrs[name] = value
            graph.add_node(iri, **attrs)
    for (rel, _, _), group in pg.groups.items():
        predicate = pg.rel_types[rel]
        graph.add_edges_from((s, o, rel, {"type": rel, "predicate": predicate})
                             for s, o in group.pairs)
    return graph


def write_graphml(pg: PropertyGraph, path: str | Path) -> dict[str, int]:
    """Write the GraphML file at ``path``; returns node and edge counts."""
    graph = to_networkx(pg)
    try:
        with atomic_file(path) as tmp:
            nx.write_graphml_xml(graph, str(tmp), encoding="utf-8", prettyprint=False)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


__all__ = ["LIST_SEPARATOR", "to_networkx", "write_graphml"]
