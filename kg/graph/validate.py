"""SHACL validation of a kg graph against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import KgError
from kg.graph.store import load_dataset, union_graph

#: The ontology folder at the root of the repository.
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(slots=True)
class Validation:
    """The outcome of a SHACL run: whether the graph conforms, and pyshacl's report."""

    conforms: bool
    text: str
    report: Graph
    violations: int

    def focus_nodes(self) -> set[str]:
        """The nodes some shape failed on (as IRIs)."""
        from rdflib.namespace import SH

        return {str(o) for o in self.report.objects(None, SH.focusNode)}


def load_shapes(path: str | Path = SHAPES) -> Graph:
    path = Path(path)
    if not path.is_file():
        raise KgError(f"{path}: SHACL shapes file not found")
    return Graph().parse(path, format="turtle")


def validate_graph(data: Graph | Dataset, shapes: Graph | None = None) -> Validation:
    """Validate a graph (or the union of a dataset's graphs) against the shapes."""
    from pyshacl import validate

    if isinstance(data, Dataset):
        data = union_graph(data)
    conforms, report, text = validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    from rdflib.namespace import SH

    violations = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Violation))
    return Validation(bool(conforms), str(text), report, violations)


def validate_dir(location: str | Path, shapes: str | Path = SHAPES) -> Validation:
    """Validate the graph a ``kg build`` wrote into a folder (or a graph file)."""
    return validate_graph(load_dataset(location), load_shapes(shapes))
