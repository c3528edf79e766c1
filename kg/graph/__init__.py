"""The graph stage: extraction reports → one RDF dataset (rdflib API over Oxigraph).

- ``build``: ``GraphBuilder`` turns reports into entities, relations, observations and
  provenance; ``build_graph(reports)``, ``build_files(paths)``.
- ``store``: the Oxigraph-backed dataset, reading and writing graph.ttl / graph.trig.
- ``provenance``: article graphs, sentences, statement reifications.
- ``query``: SPARQL with table / CSV / JSON output; ``validate``: SHACL (pyshacl).
- ``namespaces``: generated from ontology/kg.ttl by tools/gen_namespace.py.
"""

from __future__ import annotations

from kg.graph.build import GraphBuilder, build_files, build_graph
from kg.graph.store import load_dataset, new_dataset, write_graph

__all__ = ["GraphBuilder", "build_files", "build_graph", "load_dataset", "new_dataset",
           "write_graph"]
