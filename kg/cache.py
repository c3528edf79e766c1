"""What a build already did, kept in ``OUT/.kg/`` so the next build does only the rest.

- ``files/<key>.json`` and ``files/<key>.nq.gz``: one input file's results (report,
  article and figure rows, its quads). The key hashes the file's bytes, kg's own code
  and data (``fingerprint``) and the build options: an unchanged file is not extracted
  again, a changed one (or a new kg) gets a new key.
- ``store/``: the on-disk Oxigraph store every output is written from.
- ``store.json``: the keys whose quads the store holds. It is removed before the store
  changes and written after, so a build killed while loading leaves no manifest and the
  next build reloads the store from ``files/`` instead of trusting it.
- ``inputs.json``: the files of the last build (path → key, report name), to remove the
  reports of files that are gone.

Every file here is written atomically (temporary file and rename): a killed build
leaves whole entries or none, and the next build resumes from them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.io import write_atomic
from kg.work import FileResult, Options

#: The package folder: its code, tables and model decide what a file extracts to.
PACKAGE = Path(__file__).resolve().parent
_CHUNK = 1 << 20


@cache
def code_fingerprint() -> str:
    """A hash of kg's code, resource tables and model: a new kg version, an edited
    table or a retrained model changes every cache key."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def cache_key(path: str, content_hash: str, options: Options) -> str:
    """The key of one file's results: its path (the page's id and source come from
    it), its content, kg itself, the options."""
    digest = hashlib.sha256()
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps(options.as_dict(), sort_keys=True).encode())
    digest.update(path.encode("utf-8", "surrogateescape"))
    digest.update(content_hash.encode())
    return digest.hexdigest()[:40]


class BuildCache:
    """The ``.kg`` folder of one output folder."""

    def __init__(self, out_dir: str | Path) -> None:
        self.root = Path(out_dir) / ".kg"
        self.files = self.root / "files"
        self.store_dir = self.root / "store"
        self.manifest = self.root / "store.json"
        self.inputs = self.root / "inputs.json"

    # -- per-file entries ----------------------------------------------------------------

    def _entry(self, key: str) -> Path:
        return self.files / key[:2] / f"{key}.json"

    def _quads(self, key: str) -> Path:
        return self.files / key[:2] / f"{key}.nq.gz"

    def has(self, key: str) -> bool:
        """Whether both halves of an entry are there (quads are written first)."""
        return self._entry(key).is_file() and self._quads(key).is_file()

    def put(self, result: FileResult) -> None:
        """Keep a file's results: quads first, then the entry that says it is whole."""
        write_atomic(self._quads(result.key), result.nquads_gz, fsync=False)
        write_atomic(self._entry(result.key), json.dumps({
            "path": result.path, "doc": result.doc,
            "report": result.report.decode("utf-8"),
            "articles": result.article_rows, "figures": result.figure_rows,
            "counts": {"articles": result.articles, "sentences": result.sentences,
                       "chars": result.chars, "quads": result.quads},
        }, ensure_ascii=False), fsync=False)

    def entry(self, key: str) -> dict[str, Any]:
        """A file's results as kept by ``put``."""
        return json.loads(self._entry(key).read_text("utf-8"))

    def nquads(self, key: str) -> bytes:
        """A file's quads (N-Quads)."""
        return gzip.decompress(self._quads(key).read_bytes())

    def prune(self, keep: Iterable[str]) -> int:
        """Remove the entries of keys not in ``keep`` (files deleted or changed, or
        results of an older kg); returns how many went."""
        keep = set(keep)
        removed = 0
        if not self.files.is_dir():
            return 0
        for path in self.files.glob("*/*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                self._quads(path.stem).unlink(missing_ok=True)
                removed += 1
        for path in self.files.glob("*/*.nq.gz"):  # halves left by a killed build
            if not self._entry(path.name[:-6]).is_file():
                path.unlink(missing_ok=True)
        return removed

    # -- the store and its manifest ------------------------------------------------------

    def stored_keys(self) -> set[str] | None:
        """The keys the store holds, or None when that is unknown (no store yet, or a
        build was stopped while changing it)."""
        if not self.manifest.is_file() or not self.store_dir.is_dir():
            return None
        try:
            return set(json.loads(self.manifest.read_text("utf-8"))["keys"])
        except (ValueError, KeyError, TypeError):
            return None

    def open_store(self, wanted: set[str]) -> tuple[ox.Store, set[str]]:
        """The on-disk store, and the keys it already holds of ``wanted``.

        The store is kept when it holds only wanted keys (a build that adds files adds
        their quads); when it holds a key no longer wanted (a file changed or was
        deleted: its facts must go) or its state is unknown, it is emptied and refilled
        from the entries, without extracting anything again.
        """
        held = self.stored_keys()
        self.manifest.unlink(missing_ok=True)  # the store is about to change
        if held is None or not held <= wanted:
            shutil.rmtree(self.store_dir, ignore_errors=True)
            held = set()
        self.store_dir.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(self.store_dir)), held

    def save_manifest(self, keys: Iterable[str]) -> None:
        write_atomic(self.manifest, json.dumps({"keys": sorted(keys)}))

    # -- the last build's inputs ---------------------------------------------------------

    def last_inputs(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.inputs.read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def save_inputs(self, inputs: dict[str, dict[str, str]]) -> None:
        write_atomic(self.inputs, json.dumps(inputs, ensure_ascii=False))

