"""SPARQL over a kg graph, with results as a table, CSV or JSON.

Queries run on Oxigraph (through rdflib's API) with the union of all graphs as the
default graph, so a query need not name the article or provenance graphs; kg's
prefixes (kg:, region:, schema:, org: …) are predeclared. Parameters are variables bound
before evaluation: ``run_query(ds, q, {"label": "省医保局"})`` or ``kg query … --bind
label=省医保局``.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.graph.namespaces import PREFIXES

FORMATS = ("table", "csv", "json")
#: The analyst questions shipped with kg (queries/*.rq at the root of the repository).
QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"


def read_query(path: str | Path) -> str:
    """The text of a query file; a name without a folder is looked up in queries/.

    QueryError, naming the file, when it is missing, not UTF-8 text, empty (blank lines
    and comments only) or not SPARQL (checked by Oxigraph's parser, kg's prefixes
    predeclared), so a bad file fails before the graph is loaded.
    """
    path = Path(path)
    if not path.is_file() and not path.parent.name and (QUERIES_DIR / path).is_file():
        path = QUERIES_DIR / path
    if not path.is_file() and (QUERIES_DIR / f"{path.name}.rq").is_file():
        path = QUERIES_DIR / f"{path.name}.rq"
    if not path.exists():
        raise QueryError(f"{path}: no such file (give a .rq file, or the name of one in "
                         f"{QUERIES_DIR.name}/)")
    if not path.is_file():
        raise QueryError(f"{path}: not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QueryError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise QueryError(f"{path}: looks binary (it contains NUL bytes), not a SPARQL query")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: is not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                         f"offset {exc.start})") from None
    if not any(line.strip() and not line.lstrip().startswith("#")
               for line in text.splitlines()):
        raise QueryError(f"{path}: is empty (no query, only blank lines or comments)")
    check_syntax(text, str(path))
    return text


def check_syntax(sparql: str, source: str = "SPARQL") -> None:
    """Parse a query with Oxigraph (on an empty store: nothing is evaluated)."""
    try:
        ox.Store().query(sparql, prefixes=dict(PREFIXES))
    except SyntaxError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unparsable"
        raise QueryError(f"{source}: SPARQL syntax error: {message}") from None


def parse_value(text: str) -> Identifier:
    """A --bind value: <iri>, prefix:name for kg's prefixes, else a plain string."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return Literal(text)


def parse_bindings(items: list[str] | tuple[str, ...]) -> dict[str, Identifier]:
    """NAME=VALUE pairs (from --bind) as variable bindings."""
    out: dict[str, Identifier] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise QueryError(f"--bind {item!r}: expected NAME=VALUE, e.g. label=省医保局")
        out[name] = parse_value(value)
    return out


def run_query(dataset: Dataset, sparql: str,
              bindings: Mapping[str, Identifier | str] | None = None) -> Result:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all graphs."""
    init = {k: (v if isinstance(v, Identifier) else Literal(v))
            for k, v in (bindings or {}).items()}
    try:
        return dataset.query(sparql, initNs=dict(PREFIXES), initBindings=init)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"SPARQL: {message}") from None


def rows(result: Result) -> tuple[list[str], list[list[Node | None]]]:
    """Column names and rows of a SELECT result (consumes it)."""
    names = [str(v) for v in result.vars or []]
    out = [list(row) for row in result]
    return names, out


def compact(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        best = ""
        for prefix, namespace in PREFIXES.items():
            if term.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{term[len(PREFIXES[best]):]}" if best else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(names: list[str], table: list[list[Node | None]], limit: int = 60) -> str:
    """A plain-text table; cells longer than ``limit`` columns are cut with …."""
    cells = [[compact(t).replace("\n", " ") for t in row] for row in table]
    cut = []
    for row in cells:
        line = []
        for text in row:
            if _width(text) > limit:
                while _width(text) > limit - 1:
                    text = text[:-1]
                text += "…"
            line.append(text)
        cut.append(line)
    widths = [max([_width(n)] + [_width(r[i]) for r in cut]) for i, n in enumerate(names)]
    lines = [" | ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cut]
    lines.append(f"({len(cut)} row{'s' if len(cut) != 1 else ''})")
    return "\n".join(lines)


def format_csv(names: list[str], table: list[list[Node | None]]) -> str:
    """SPARQL 1.1 CSV results: full IRIs, literal values, empty for unbound."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in table:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buffer.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = str(term.datatype)
    return out


def format_json(names: list[str], table: list[list[Node | None]]) -> str:
    """SPARQL 1.1 JSON results (application/sparql-results+json)."""
    bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
                for row in table]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2)


def format_result(result: Result, fmt: str = "table") -> str:
    """Any query result in one of FORMATS (CONSTRUCT/DESCRIBE results as Turtle)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        return json.dumps({"head": {}, "boolean": answer}) if fmt == "json" \
            else str(answer).lower()
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return graph.serialize(format="turtle")
    names, table = rows(result)
    if fmt == "csv":
        return format_csv(names, table)
    if fmt == "json":
        return format_json(names, table)
    return format_table(names, table)
