"""The whole pipeline over files and folders: one report per page, the graph, a summary.

A build streams. Files go to workers (``kg.parallel``: this process, ``-j N`` local
processes, or a Dask cluster); each file's results come back as it finishes and are
kept at once in the build cache and the on-disk store (``kg.cache``, ``OUT/.kg``), so
memory does not grow with the corpus, and a build stopped at any moment resumes from
the files it finished. A file whose bytes, options and kg are unchanged since the last
build is not extracted again; the facts of deleted or changed files leave the graph.
The outputs (reports, articles.jsonl, figures.csv, graph.*) are each written
atomically: until a build completes them, the previous ones stay as they were.

A file that cannot be read is reported by name and skipped; the others still build.
"""

from __future__ import annotations

import csv
import gc
import gzip
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.api import extract_file
from kg.cache import BuildCache, cache_key, file_hash
from kg.errors import InputError, KgError
from kg.io import atomic_file, write_atomic, write_json
from kg.report import Report
from kg.work import STAGES, FileResult, Options

#: File endings read from folders.
TEXT_SUFFIXES = (".txt", ".text", ".md")
#: Files whose quads go into the store in one bulk load. Oxigraph's transactional
#: ``load`` into the on-disk store cost 4 CPU-s per 184k quads (the build's main process
#: was near its limit feeding two workers); ``bulk_load`` of 20 pages at a time 1.1 s.
#: A batch holds at most this many pages' N-Quads in memory (~3 MB for seed pages).
LOAD_EVERY = 20
#: Empty output columns for a corpus without any figure.
_NO_FIGURES = ["doc"]


@dataclass(slots=True)
class BuildSummary:
    """What a build read, wrote and refused."""

    files: int = 0
    articles: int = 0
    sentences: int = 0
    chars: int = 0
    quads: int = 0
    #: files extracted by this build / whose results were kept from an earlier one
    extracted: int = 0
    reused: int = 0
    #: files of the last build that are gone (their facts were removed)
    removed: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    #: worker seconds per stage (kg.work.STAGES), summed over the files extracted
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        """The one-line summary printed at the end of a build."""
        bad = f", {len(self.rejected)} rejected" if self.rejected else ""
        reused = f" ({self.reused} unchanged)" if self.reused else ""
        return (f"kg: {self.files} files{reused}, {self.articles} articles, "
                f"{self.sentences} sentences, {self.chars} characters in "
                f"{self.seconds:.1f} s{bad}")

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "articles": self.articles, "sentences": self.sentences,
            "chars": self.chars, "quads": self.quads, "extracted": self.extracted,
            "reused": self.reused, "removed": self.removed, "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
        }


def figures_csv(rows: list[dict]) -> str:
    """One row per figure, with its article and sentence; loads straight into pandas."""
    import io

    buffer = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(buffer, fieldnames=columns or _NO_FIGURES, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def iter_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and text files under folders named, in a stable order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                              and not p.name.startswith("."))
        else:
            yield path


def extract_all(paths: list[Path], publication: str | None = None, region: str | None = None,
                date: str | None = None, progress: bool = False
                ) -> Iterator[tuple[Path, Report | None, KgError | None]]:
    """Extract each file in this process; yield (path, report, None) or
    (path, None, error). (``kg extract``; ``build`` runs files on workers.)"""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="file", file=sys.stderr, leave=False)
    try:
        for path in paths:
            try:
                yield path, extract_file(path, publication, region, date), None
            except KgError as exc:
                yield path, None, exc
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()


def _key_inputs(paths: list[Path], options: Options, summary: BuildSummary
                ) -> list[tuple[str, str]]:
    """(path, cache key) of every input that can be read; the others are rejected."""
    keyed = []
    for path in paths:
        try:
            keyed.append((str(path), cache_key(str(path), file_hash(path), options)))
        except OSError as exc:
            error = InputError(str(path), f"cannot read: {exc.strerror or exc}")
            summary.rejected.append({"file": str(path), "error": str(error)})
    return keyed


def _runner(todo: list[tuple[str, str]], options: Options, jobs: int | None,
            dask: str | None) -> Iterator[FileResult]:
    from kg import parallel

    if dask:
        return parallel.run_dask(todo, options, dask)
    jobs = jobs or parallel.default_jobs()
    if jobs <= 1 or len(todo) <= 1:
        return parallel.run_serial(todo, options)
    return parallel.run_processes(todo, options, min(jobs, len(todo)))


def _remove_leftovers(out: Path) -> None:
    """Temporary files a killed build left beside the outputs (``.name.*.tmp``, from
    ``kg.io.atomic_file``): never outputs, so they go."""
    import shutil

    for folder in (out, out / "reports", out / ".kg", *out.glob(".kg/files/*")):
        for path in folder.glob(".*.tmp"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _report_path(out: Path, path: str) -> Path:
    return out / "reports" / f"{Path(path).stem}.json"


def build(inputs: Iterable[str | Path], out_dir: str | Path, publication: str | None = None,
          region: str | None = None, date: str | None = None,
          progress: bool | None = None, formats: Iterable[str] = (),
          jobs: int | None = None, dask: str | None = None, ner: bool = True
          ) -> BuildSummary:
    """Run the pipeline on files or folders and write ``out_dir``.

    ``jobs``: worker processes (default: every core; 1 runs in this process);
    ``dask``: a Dask scheduler address (or ``local``) to run the files on instead;
    ``ner=False`` leaves the trained NER out.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    inputs = list(inputs)
    paths = list(iter_inputs(inputs))
    if not paths:
        raise InputError(", ".join(str(i) for i in inputs) or "(none)",
                         "no input files found")
    options = Options(publication, region, date, ner)
    summary = BuildSummary(stage_seconds=dict.fromkeys(STAGES, 0.0))
    keyed = _key_inputs(paths, options, summary)
    cache = BuildCache(out)
    _remove_leftovers(out)
    wanted = {key for _, key in keyed}
    todo = [(path, key) for path, key in keyed if not cache.has(key)]
    summary.reused = len(keyed) - len(todo)
    last = cache.last_inputs()
    current = {path for path, _ in keyed}
    summary.removed = sum(1 for path in last if path not in current)
    if progress is None:
        progress = len(todo) > 20 and sys.stderr.isatty()

    try:
        store, held = cache.open_store(wanted)
    except OSError as exc:
        raise KgError(f"{cache.store_dir}: cannot open the build's store ({exc}); "
                      "is another kg build writing to this folder?") from None
    if not held:
        from kg.graph.build import static_nquads

        store.load(static_nquads(), ox.RdfFormat.N_QUADS)
    to_extract = {key for _, key in todo}
    loader = _Loader(store, held)
    for _, key in keyed:  # results kept from earlier builds that the store lacks
        if key not in held and key not in to_extract:
            loader.add(key, cache.nquads(key))

    failed: set[str] = set()
    extracted: set[str] = set()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="file", file=sys.stderr, leave=False)
    source = {key: path for path, key in keyed}
    try:
        for result in _runner(todo, options, jobs, dask):
            if bar is not None:
                bar.update()
            path = source[result.key]
            if not result.ok:
                summary.rejected.append({"file": path, "error": result.error or ""})
                failed.add(result.key)
                continue
            cache.put(result)
            loader.add(result.key, gzip.decompress(result.nquads_gz))
            extracted.add(result.key)
            summary.extracted += 1
            for stage, seconds in result.seconds.items():
                summary.stage_seconds[stage] = summary.stage_seconds.get(stage, 0.0) + seconds
    finally:
        if bar is not None:
            bar.close()
        loader.close()
        if loader.whole:  # exactly the keys whose quads are in the store
            cache.save_manifest(held)

    done = [(path, key) for path, key in keyed if key not in failed]
    _write_tables(out, cache, done, extracted, summary)
    _remove_stale_reports(out, last, done)
    cache.save_inputs({path: {"key": key} for path, key in done})
    cache.prune(wanted)
    _write_graph_outputs(store, out, formats)
    summary.quads = len(store)
    del store
    gc.collect()  # Oxigraph lets go of the store's lock when the last reference goes
    summary.seconds = time.perf_counter() - started
    write_json(out / "summary.json", summary.as_dict())
    return summary


class _Loader:
    """Loads pages' N-Quads into the on-disk store ``LOAD_EVERY`` pages at a time and
    adds their keys to ``held`` once they are in.

    ``bulk_load`` is not a transaction: a batch that fails half-way leaves part of it
    in the store. Then ``whole`` turns false, the build writes no manifest, and the next
    build empties the store and refills it from the cache (``BuildCache.open_store``).
    """

    def __init__(self, store: ox.Store, held: set[str]) -> None:
        self.store, self.held = store, held
        self.keys: list[str] = []
        self.data: list[bytes] = []
        self.whole = True

    def add(self, key: str, nquads: bytes) -> None:
        self.keys.append(key)
        self.data.append(nquads)
        if len(self.keys) >= LOAD_EVERY:
            self._load()

    def _load(self) -> None:
        if not self.keys:
            return
        self.whole = False
        self.store.bulk_load(b"".join(self.data), ox.RdfFormat.N_QUADS)
        self.store.flush()
        self.whole = True
        self.held.update(self.keys)
        self.keys, self.data = [], []

    def close(self) -> None:
        """Load what is left (after an error too: those files are done)."""
        if self.whole:
            self._load()


def _write_tables(out: Path, cache: BuildCache, done: list[tuple[str, str]],
                  extracted: set[str], summary: BuildSummary) -> None:
    """articles.jsonl, figures.csv and the reports, in input order, streamed from the
    cache (one file's entry in memory at a time), once every file is done: a build
    stopped before this leaves the last build's outputs as they were. Reports kept from
    earlier builds are rewritten only if missing."""
    with atomic_file(out / "articles.jsonl") as articles_tmp, \
            atomic_file(out / "figures.csv") as figures_tmp, \
            open(articles_tmp, "w", encoding="utf-8", newline="\n") as articles, \
            open(figures_tmp, "w", encoding="utf-8", newline="") as figures:
        writer: csv.DictWriter | None = None
        for path, key in done:
            entry = cache.entry(key)
            counts = entry["counts"]
            summary.files += 1
            summary.articles += counts["articles"]
            summary.sentences += counts["sentences"]
            summary.chars += counts["chars"]
            for row in entry["articles"]:
                articles.write(json.dumps(row, ensure_ascii=False) + "\n")
            for row in entry["figures"]:
                if writer is None:  # a figure row has the same keys every time
                    writer = csv.DictWriter(figures, fieldnames=list(row),
                                            lineterminator="\n", extrasaction="ignore")
                    writer.writeheader()
                writer.writerow(row)
            report = _report_path(out, path)
            if key in extracted or not report.is_file():
                write_atomic(report, entry["report"])
        if writer is None:
            csv.DictWriter(figures, fieldnames=_NO_FIGURES, lineterminator="\n").writeheader()


def _remove_stale_reports(out: Path, last: dict[str, dict[str, str]],
                          done: list[tuple[str, str]]) -> None:
    """Reports of files the last build read and this one did not."""
    current = {_report_path(out, path) for path, _ in done}
    for path in last:
        report = _report_path(out, path)
        if report not in current:
            report.unlink(missing_ok=True)


def _write_graph_outputs(store: ox.Store, out: Path, formats: Iterable[str]) -> None:
    """graph.ttl, graph.trig, the formats asked for, graph.html: from the store."""
    from kg.export.html import write_html
    from kg.graph import write_graph
    from kg.graph.store import dataset_on

    dataset = dataset_on(store)
    write_graph(dataset, out)  # graph.ttl and graph.trig, each written atomically
    if formats:  # exports asked for with --formats (kg.export), under their default names
        from kg.export import BUILT_ALWAYS, export_formats

        export_formats(dataset, out, formats, skip=BUILT_ALWAYS)
    write_html(dataset, out / "graph.html")  # the offline explorer (kg.export.html)
