"""The whole pipeline over files and folders: one report per page, and a run summary.

A file that cannot be read is reported by name and skipped; the others still build.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.api import extract_file
from kg.errors import InputError, KgError
from kg.io import write_atomic, write_json
from kg.report import Report

#: File endings read from folders.
TEXT_SUFFIXES = (".txt", ".text", ".md")


@dataclass(slots=True)
class BuildSummary:
    """What a build read, wrote and refused."""

    files: int = 0
    articles: int = 0
    sentences: int = 0
    chars: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """The one-line summary printed at the end of a build."""
        bad = f", {len(self.rejected)} rejected" if self.rejected else ""
        return (f"kg: {self.files} files, {self.articles} articles, {self.sentences} "
                f"sentences, {self.chars} characters in {self.seconds:.1f} s{bad}")


def figures_csv(rows: list[dict]) -> str:
    """One row per figure, with its article and sentence; loads straight into pandas."""
    buffer = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(buffer, fieldnames=columns or ["doc"], lineterminator="\n")
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
    """Extract each file; yield (path, report, None) or (path, None, error)."""
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


def build(inputs: Iterable[str | Path], out_dir: str | Path, publication: str | None = None,
          region: str | None = None, date: str | None = None,
          progress: bool | None = None, formats: Iterable[str] = ()) -> BuildSummary:
    """Run the pipeline on files or folders and write ``out_dir``."""
    started = time.perf_counter()
    out = Path(out_dir)
    paths = list(iter_inputs(inputs))
    if not paths:
        raise InputError(", ".join(str(i) for i in inputs) or "(none)",
                         "no input files found")
    if progress is None:
        progress = len(paths) > 20 and sys.stderr.isatty()
    summary = BuildSummary()
    article_lines: list[str] = []
    figure_rows: list[dict] = []
    from kg.graph import GraphBuilder, write_graph

    graph = GraphBuilder()  # one RDF graph of every page (kg.graph)
    for path, report, error in extract_all(paths, publication, region, date, progress):
        if error is not None:
            summary.rejected.append({"file": str(path), "error": str(error)})
            continue
        assert report is not None and report.page is not None
        page = report.page
        summary.files += 1
        summary.articles += len(page.articles)
        summary.sentences += sum(len(a.sentences) for a in page.articles)
        summary.chars += len(page.text)
        write_json(out / "reports" / f"{Path(report.doc).stem}.json", report.to_dict())
        for article, entry in zip(page.articles, report.articles, strict=True):
            row = {"id": article.id, "file": str(path), **entry,
                   "publication": report.publication["name"],
                   "start": article.start, "end": article.end}
            article_lines.append(json.dumps(row, ensure_ascii=False))
        figure_rows.extend(report.figure_rows)
        graph.add_report(report, path)
    write_atomic(out / "articles.jsonl", "".join(line + "\n" for line in article_lines))
    write_atomic(out / "figures.csv", figures_csv(figure_rows))
    write_graph(graph.dataset, out)  # graph.ttl and graph.trig, each written atomically
    if formats:  # exports asked for with --formats (kg.export), under their default names
        from kg.export import BUILT_ALWAYS, export_formats

        export_formats(graph.dataset, out, formats, skip=BUILT_ALWAYS)
    from kg.export.html import write_html

    write_html(graph.dataset, out / "graph.html")  # the offline explorer (kg.export.html)
    summary.seconds = time.perf_counter() - started
    write_json(out / "summary.json", {
        "files": summary.files, "articles": summary.articles,
        "sentences": summary.sentences, "chars": summary.chars,
        "rejected": summary.rejected, "seconds": round(summary.seconds, 3),
    })
    return summary
