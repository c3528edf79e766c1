"""A LadybugDB database (the maintained continuation of Kùzu), loaded by COPY FROM.

``write_ladybug`` writes the Neo4j import folder (``kg.export.neo4j``) to a temporary
folder and loads those very files: the node and relationship tables are declared from
the CSV headers (``name:long`` → INT64, ``alias:string[]`` → STRING[], each label a
NODE TABLE keyed by ``iri``, each relationship type a REL TABLE with one FROM/TO pair
per pair of labels it joins), then each file is copied in with
``COPY … FROM (LOAD WITH HEADERS (…) FROM 'file.csv' (header=true) RETURN …)``, which
casts the typed columns and splits the arrays. So the Ladybug database and the Neo4j
files hold the same rows, and a test of one is a test of the other.

Query it from Python (``ladybug.Connection(ladybug.Database("graph.lbug"))``) or the
``lbug`` shell, in Cypher; queries/cypher/ has the analyst questions.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.export import atomic_file
from kg.export.neo4j import (
    MAPPING_FILE,
    NODES_DIR,
    RELATIONSHIPS_DIR,
    parse_header,
    write_neo4j,
)
from kg.export.propertygraph import PropertyGraph

#: neo4j-admin column types → Ladybug types.
TYPES = {"string": "STRING", "long": "INT64", "int": "INT64", "double": "DOUBLE",
         "float": "DOUBLE", "boolean": "BOOLEAN"}


def _name(text: str) -> str:
    return "`" + text.replace("`", "``") + "`"


def _path(path: Path) -> str:
    return "'" + str(path.resolve()).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _read_header(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as fh:
        row = next(csv.reader(fh), None)
    if not row:
        raise ExportError(f"{path}: no header row")
    return [parse_header(field) for field in row]


def _first_type(path: Path, column: int) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        row = next(reader, None)
    if row is None:
        raise ExportError(f"{path}: no relationship rows")
    return row[column]


def load_statements(folder: str | Path) -> list[str]:
    """DDL and COPY statements that load a Neo4j import folder into Ladybug."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MAPPING_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{folder}: {exc}") from None
    delimiter = manifest.get("array_delimiter", ";")
    ddl: list[str] = []
    copies: list[str] = []
    for name in manifest["node_files"]:
        path = folder / name
        fields = _read_header(path)
        ids = [f for f in fields if f["type"] == "ID"]
        if len(ids) != 1 or not ids[0]["space"]:
            raise ExportError(f"{path}: expected one :ID(<label>) column")
        label = str(ids[0]["space"])
        columns, selected = [], []
        for i, field in enumerate(fields):
            column = f"c{i}"
            if field["type"] == "LABEL":
                continue
            if field["type"] == "ID":
                columns.append(f"{_name(str(field['name']) or 'id')} STRING PRIMARY KEY")
                selected.append(column)
                continue
            kind = TYPES[str(field["type"])]
            if field["list"]:
                columns.append(f"{_name(str(field['name']))} {kind}[]")
                split = f"string_split({column}, '{delimiter}')"
                selected.append(split if kind == "STRING" else f"CAST({split} AS {kind}[])")
            else:
                columns.append(f"{_name(str(field['name']))} {kind}")
                selected.append(column if kind == "STRING" else f"CAST({column} AS {kind})")
        ddl.append(f"CREATE NODE TABLE {_name(label)}({', '.join(columns)})")
        loaded = ", ".join(f"c{i} STRING" for i in range(len(fields)))
        copies.append(f"COPY {_name(label)} FROM (LOAD WITH HEADERS ({loaded}) FROM "
                      f"{_path(path)} (header=true, parallel=false) "
                      f"RETURN {', '.join(selected)})")
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in manifest["relationship_files"]:
        path = folder / name
        fields = _read_header(path)
        kinds = [f["type"] for f in fields]
        if kinds[:2] != ["START_ID", "END_ID"] or "TYPE" not in kinds:
            raise ExportError(f"{path}: expected :START_ID, :END_ID and :TYPE columns")
        start, end = str(fields[0]["space"]), str(fields[1]["space"])
        rel = _first_type(path, kinds.index("TYPE"))
        pairs[rel].append((start, end))
        loaded = ", ".join(f"c{i} STRING" for i in range(len(fields)))
        copies.append(f"COPY {_name(rel)} FROM (LOAD WITH HEADERS ({loaded}) FROM "
                      f"{_path(path)} (header=true, parallel=false) RETURN c0, c1) "
                      f"(from='{start}', to='{end}')")
    for rel, ends in pairs.items():
        spec = ", ".join(f"FROM {_name(a)} TO {_name(b)}" for a, b in ends)
        ddl.append(f"CREATE REL TABLE {_name(rel)}({spec})")
    return ddl + copies


def load_folder(folder: str | Path, database: str | Path) -> None:
    """Create the Ladybug database ``database`` from a Neo4j import folder."""
    import ladybug

    db = ladybug.Database(str(database))
    try:
        conn = ladybug.Connection(db)
        try:
            for statement in load_statements(folder):
                try:
                    conn.execute(statement)
                except RuntimeError as exc:
                    raise ExportError(f"ladybug: {str(exc).splitlines()[0]} "
                                      f"(in {statement[:120]}…)") from None
        finally:
            conn.close()
    finally:
        db.close()


def write_ladybug(pg: PropertyGraph | None, path: str | Path,
                  csv_folder: str | Path | None = None) -> None:
    """Write the Ladybug database file ``path`` (replacing what is there), from the
    Neo4j import folder of ``pg`` written to a temporary folder, or from ``csv_folder``
    when that folder was just written (``kg build --formats neo4j,ladybug``)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="kg-ladybug-") as tmp:
        folder = Path(csv_folder) if csv_folder is not None else Path(tmp) / "csv"
        if csv_folder is None:
            if pg is None:
                raise ExportError("write_ladybug: give a property graph or a CSV folder")
            write_neo4j(pg, folder)
        with atomic_file(path) as db_file:
            db_file.unlink()  # Ladybug creates the file itself
            load_folder(folder, db_file)
            wal = db_file.with_name(db_file.name + ".wal")
            if wal.exists():
                raise ExportError(f"{path}: Ladybug left a write-ahead log")


__all__ = ["TYPES", "load_folder", "load_statements", "write_ladybug"]
