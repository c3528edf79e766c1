"""Packaged data files (gazetteers, tables, lexicons) and the one way to read them.

Every table is a UTF-8 TSV whose leading ``#`` lines document its source, version and
licence; the first non-comment line is the header. Tables are read once per process.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

from kg.errors import ResourceError


def resource_path(name: str) -> Path:
    """Path of a packaged resource file."""
    path = Path(str(files("kg.resources").joinpath(name)))
    if not path.is_file():
        raise ResourceError(f"packaged resource {name!r} is missing from {path.parent}")
    return path


def _data_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n")


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a packaged TSV table as dicts keyed by its header (cached)."""
    path = resource_path(name)
    reader = csv.DictReader(_data_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ResourceError(f"{name}: row {lineno} does not match the header: {row}")
        rows.append(row)
    if not rows:
        raise ResourceError(f"{name}: the table has no rows")
    return tuple(rows)


@cache
def read_list(name: str) -> tuple[str, ...]:
    """Entries of a packaged one-item-per-line list (cached)."""
    items = tuple(line.strip() for line in _data_lines(resource_path(name)))
    if not items:
        raise ResourceError(f"{name}: the list is empty")
    return items
