"""Generate kg/graph/namespaces.py from ontology/kg.ttl.

    python tools/gen_namespace.py            # rewrite kg/graph/namespaces.py
    python tools/gen_namespace.py --check    # exit 1 when the file is out of date

The kg: terms become a ``DefinedNamespace`` with ``_fail = True`` (a typo such as
``KG.divisonCode`` raises), collected by rdflib's own
``rdflib.tools.defined_namespace_creator.get_target_namespace_elements``; the output
differs from that tool's only in being deterministic (no date line), so a test can
compare it with the file. The prefixes declared in kg.ttl become ``PREFIXES`` (bound on
every graph kg writes) and, for vocabularies rdflib does not ship, plain ``Namespace``
constants (SDMX_DIMENSION, KGID, REGION …).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import _NAMESPACE_PREFIXES_CORE, _NAMESPACE_PREFIXES_RDFLIB
from rdflib.tools.defined_namespace_creator import get_target_namespace_elements

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
TARGET = ROOT / "kg" / "graph" / "namespaces.py"
KG_NS = "https://example.org/kg/ontology#"


def _declared_prefixes(text: str) -> list[tuple[str, str]]:
    """The @prefix lines of a Turtle file, in file order."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "@prefix":
            out.append((parts[1].rstrip(":"), parts[2].strip("<>")))
    return out


def render(ontology: Path = ONTOLOGY) -> str:
    """The text of namespaces.py for an ontology file."""
    text = ontology.read_text(encoding="utf-8")
    graph = Graph(bind_namespaces="none").parse(data=text, format="turtle")
    _, element_lines, extra_lines = get_target_namespace_elements(graph, KG_NS)
    prefixes = _declared_prefixes(text)
    shipped = {str(ns) for ns in _NAMESPACE_PREFIXES_RDFLIB.values()}
    shipped |= {str(ns) for ns in _NAMESPACE_PREFIXES_CORE.values()}
    out = [
        '"""Python names for the kg ontology and the prefixes kg binds.\n',
        "\n",
        "GENERATED from ontology/kg.ttl by tools/gen_namespace.py: do not edit by hand;\n",
        "edit the ontology and run ``python tools/gen_namespace.py``.\n",
        '"""\n',
        "\n",
        "from rdflib.namespace import DefinedNamespace, Namespace\n",
        "from rdflib.term import URIRef\n",
        "\n",
        "\n",
        "class KG(DefinedNamespace):\n",
        '    """The kg ontology (ontology/kg.ttl): terms no standard vocabulary has."""\n',
        "\n",
        "    _fail = True\n",
        f'    _NS = Namespace("{KG_NS}")\n',
        "\n",
    ]
    out.extend(element_lines)
    if extra_lines:
        out.append("\n    _extras = [\n")
        out.extend(extra_lines)
        out.append("    ]\n")
    out.append("\n\n")
    out.append("#: Prefixes declared in kg.ttl, bound on every graph kg writes.\n")
    out.append("PREFIXES: dict[str, str] = {\n")
    out.extend(f'    "{p}": "{ns}",\n' for p, ns in prefixes)
    out.append("}\n")
    own = [(p, ns) for p, ns in prefixes if ns not in shipped and ns != KG_NS]
    if own:
        out.append("\n")
        out.append("# Namespaces rdflib does not ship (use rdflib.namespace for the others).\n")
        out.extend(f'{p.upper().replace("-", "_")} = Namespace("{ns}")\n' for p, ns in own)
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="Only check that the file is up to date.")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python tools/gen_namespace.py",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
