"""Neo4j import files: CSV with ``neo4j-admin database import full`` headers.

The export is a folder::

    nodes/<Label>.csv                       iri:ID(<Label>),:LABEL,types:string[],name:string,…
    relationships/<TYPE>__<From>__<To>.csv  :START_ID(<From>),:END_ID(<To>),:TYPE
    import.sh                               the neo4j-admin command for all of them
    load-csv.cypher                         the same through LOAD CSV (a running server)
    mapping.json                            labels, properties, types → RDF terms

Each label is its own ID space (an IRI is the ``iri`` property and the ID), each file has
its header as first row, property columns are typed (``long``, ``double``, ``boolean``,
``string``, ``[]`` for arrays); an empty cell is a missing property. Array values are
joined with a delimiter no value contains (``;`` unless one does), which import.sh
passes as ``--array-delimiter`` and load-csv.cypher to ``split``. Fields with line
breaks are quoted, and import.sh then adds ``--multiline-fields=true``.

The rows are those of ``kg.export.propertygraph``; LadybugDB loads these very files
(``kg.export.ladybug``), which is how they are tested here (Neo4j itself cannot be
installed offline).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.export import atomic_dir
from kg.export.propertygraph import ID_COLUMN, Column, PropertyGraph

NODES_DIR = "nodes"
RELATIONSHIPS_DIR = "relationships"
MAPPING_FILE = "mapping.json"
IMPORT_SCRIPT = "import.sh"
LOAD_CSV_SCRIPT = "load-csv.cypher"
#: Array delimiters tried in order: the first no array value contains is used.
DELIMITERS = (";", "|", "¦", "‖")
#: Rows per transaction in load-csv.cypher.
BATCH = 10000
HEADER = re.compile(r"^(?P<name>[^:]*):(?P<type>ID|LABEL|START_ID|END_ID|TYPE|"
                    r"string|long|int|double|float|boolean)(?P<list>\[\])?"
                    r"(?:\((?P<space>[^)]*)\))?$")


def header(column: Column, label: str) -> str:
    """The neo4j-admin header of a column."""
    if column.name == ID_COLUMN:
        return f"{ID_COLUMN}:ID({label})"
    return f"{column.name}:{column.kind}{'[]' if column.is_list else ''}"


def node_file(label: str) -> str:
    return f"{NODES_DIR}/{label}.csv"


def relationship_file(rel: str, start: str, end: str) -> str:
    return f"{RELATIONSHIPS_DIR}/{rel}__{start}__{end}.csv"


def _delimiter(pg: PropertyGraph) -> str:
    used: set[str] = set()
    for label, table in pg.tables.items():
        lists = [i for i, c in enumerate(table.columns) if c.is_list]
        for row in pg.rows(label):
            for i in lists:
                for value in row[i] or ():
                    used.update(ch for ch in DELIMITERS if ch in str(value))
    for ch in DELIMITERS:
        if ch not in used:
            return ch
    raise ExportError("every array delimiter tried occurs in some value: "
                      + " ".join(DELIMITERS))


def _cell(value: Any, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return delimiter.join(_cell(v, delimiter) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_neo4j(pg: PropertyGraph, path: str | Path) -> dict[str, Any]:
    """Write the import folder at ``path`` (replacing what is there); returns the
    manifest (files, delimiter, whether fields span lines)."""
    delimiter = _delimiter(pg)
    multiline = False
    nodes: list[str] = []
    relationships: list[str] = []
    try:
        with atomic_dir(path) as tmp:
            (tmp / NODES_DIR).mkdir()
            (tmp / RELATIONSHIPS_DIR).mkdir()
            for label, table in pg.tables.items():
                name = node_file(label)
                nodes.append(name)
                with open(tmp / name, "w", encoding="utf-8", newline="") as fh:
                    writer = csv.writer(fh, lineterminator="\n")
                    heads = [header(c, label) for c in table.columns]
                    writer.writerow(heads[:1] + [":LABEL"] + heads[1:])
                    for row in pg.rows(label):
                        cells = [_cell(v, delimiter) for v in row]
                        multiline = multiline or any("\n" in c or "\r" in c for c in cells)
                        writer.writerow(cells[:1] + [label] + cells[1:])
            for (rel, start, end), group in pg.groups.items():
                name = relationship_file(rel, start, end)
                relationships.append(name)
                with open(tmp / name, "w", encoding="utf-8", newline="") as fh:
                    writer = csv.writer(fh, lineterminator="\n")
                    writer.writerow([f":START_ID({start})", f":END_ID({end})", ":TYPE"])
                    writer.writerows((s, o, rel) for s, o in group.pairs)
            manifest = {"array_delimiter": delimiter, "multiline_fields": multiline,
                        "node_files": nodes, "relationship_files": relationships,
                        "counts": pg.counts(), **pg.mapping()}
            (tmp / MAPPING_FILE).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            (tmp / IMPORT_SCRIPT).write_text(import_script(manifest), encoding="utf-8")
            (tmp / IMPORT_SCRIPT).chmod(0o755)
            (tmp / LOAD_CSV_SCRIPT).write_text(load_csv_script(pg, manifest),
                                               encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None
    return manifest


def import_script(manifest: dict[str, Any]) -> str:
    """The neo4j-admin command that imports the folder into a new database."""
    lines = [
        "#!/bin/sh",
        "# Import these files into a new Neo4j 5 database (stop the server first; the",
        "# database must not exist yet):  sh import.sh [DATABASE]    (default: neo4j)",
        "# NEO4J_ADMIN may name the neo4j-admin binary. Written by kg export --format neo4j.",
        'cd "$(dirname "$0")" || exit 1',
        'exec "${NEO4J_ADMIN:-neo4j-admin}" database import full \\',
        "  --id-type=string \\",
        f"  --array-delimiter='{manifest['array_delimiter']}' \\",
    ]
    if manifest["multiline_fields"]:
        lines.append("  --multiline-fields=true \\")
    lines += [f"  --nodes={name} \\" for name in manifest["node_files"]]
    lines += [f"  --relationships={name} \\" for name in manifest["relationship_files"]]
    lines.append('  "${1:-neo4j}"')
    return "\n".join(lines) + "\n"


def _field(name: str) -> str:
    return "row.`" + name.replace("`", "``") + "`"


def _value(column: Column, delimiter: str) -> str:
    """The Cypher expression of a CSV cell: null when empty, else typed."""
    cell = _field(header(column, ""))
    convert = {"long": "toInteger({})", "double": "toFloat({})",
               "boolean": "toBoolean({})"}.get(column.kind, "{}")
    if column.is_list:
        value = f"[x IN split({cell}, '{delimiter}') | {convert.format('x')}]"
    else:
        value = convert.format(cell)
    return f"CASE WHEN {cell} <> '' THEN {value} END"


def load_csv_script(pg: PropertyGraph, manifest: dict[str, Any]) -> str:
    """The LOAD CSV alternative: constraints, then nodes, then relationships."""
    delimiter = manifest["array_delimiter"]
    out = [
        "// The property graph through LOAD CSV, into a running Neo4j 5 server:",
        "// copy nodes/ and relationships/ into its import folder, then",
        "//   cypher-shell -u neo4j -p PASSWORD -f load-csv.cypher",
        "// Written by kg export --format neo4j (import.sh is the faster bulk import).",
        "",
    ]
    for label in pg.tables:
        out.append(f"CREATE CONSTRAINT `{label}_iri` IF NOT EXISTS "
                   f"FOR (n:`{label}`) REQUIRE n.iri IS UNIQUE;")
    out.append("")
    for label, table in pg.tables.items():
        sets = ",\n      ".join(f"n.`{c.name}` = {_value(c, delimiter)}"
                                for c in table.columns[1:])
        out += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{node_file(label)}' AS row",
            "CALL { WITH row",
            f"  CREATE (n:`{label}` {{iri: {_field(f'{ID_COLUMN}:ID({label})')}}})",
            f"  SET {sets}",
            f"}} IN TRANSACTIONS OF {BATCH} ROWS;",
            "",
        ]
    for (rel, start, end) in pg.groups:
        out += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{relationship_file(rel, start, end)}' AS row",
            "CALL { WITH row",
            f"  MATCH (a:`{start}` {{iri: {_field(f':START_ID({start})')}}})",
            f"  MATCH (b:`{end}` {{iri: {_field(f':END_ID({end})')}}})",
            f"  CREATE (a)-[:`{rel}`]->(b)",
            f"}} IN TRANSACTIONS OF {BATCH} ROWS;",
            "",
        ]
    return "\n".join(out)


def parse_header(text: str) -> dict[str, str | bool | None]:
    """One neo4j-admin header field: name, type, whether an array, ID space.
    Raises ExportError for a field neo4j-admin would not accept."""
    m = HEADER.match(text)
    if m is None:
        raise ExportError(f"not a neo4j-admin header field: {text!r}")
    kind = m["type"]
    if m["list"] and kind in ("ID", "LABEL", "START_ID", "END_ID", "TYPE"):
        raise ExportError(f"{text!r}: {kind} cannot be an array")
    if m["space"] is not None and kind not in ("ID", "START_ID", "END_ID"):
        raise ExportError(f"{text!r}: only IDs have an ID space")
    if not m["name"] and kind not in ("ID", "LABEL", "START_ID", "END_ID", "TYPE"):
        raise ExportError(f"{text!r}: a property needs a name")
    return {"name": m["name"], "type": kind, "list": bool(m["list"]), "space": m["space"]}


__all__ = ["DELIMITERS", "IMPORT_SCRIPT", "LOAD_CSV_SCRIPT", "MAPPING_FILE", "NODES_DIR",
           "RELATIONSHIPS_DIR", "header", "import_script", "load_csv_script",
           "parse_header", "write_neo4j"]
