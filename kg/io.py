"""Writing outputs safely: a temporary file in the same folder, then a rename.

A build killed at any moment leaves each output either as it was or complete, never
half-written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def umask() -> int:
    """The process's file mode mask (temporary files get ordinary permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A temporary sibling of ``path`` to write (by name, e.g. for a serializer that
    streams to a file); renamed to ``path`` when the block ends without an exception,
    removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, 0o666 & ~umask())
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, text: str | bytes, fsync: bool = True) -> None:
    """Write text (or bytes) to path via a temporary sibling and an atomic rename.

    ``fsync=False`` still survives a killed process (the rename is atomic) but not a
    power cut: for the build cache, which is checked and rebuilt, not for outputs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; outputs are ordinary files
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as bh:
                bh.write(text)
                bh.flush()
                if fsync:
                    os.fsync(bh.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                if fsync:
                    os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: str | Path, data: Any) -> None:
    """Pretty-printed UTF-8 JSON, written atomically."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
