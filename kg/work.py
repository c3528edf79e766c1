"""One input file through the per-file stages, in whichever process runs it.

``process_file`` is what ``kg build`` hands to its workers (local processes with
``-j N``, or a Dask cluster with ``--dask``): read → extract → the page's quads. It
returns one picklable ``FileResult`` holding everything the build writes for the file,
so workers need no shared disk and the process that owns the store and the outputs
stays their only writer. Nothing a worker does depends on another file.
"""

from __future__ import annotations

import gzip
import json
import time
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError

if TYPE_CHECKING:
    from kg.graph import GraphBuilder

#: The stages a worker times, in order (seconds per stage go into FileResult.seconds).
STAGES = ("ingest", "extract", "graph")


@dataclass(frozen=True, slots=True)
class Options:
    """What every file of a build is extracted with (part of the cache key)."""

    publication: str | None = None
    region: str | None = None
    date: str | None = None
    ner: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"publication": self.publication, "region": self.region, "date": self.date,
                "ner": self.ner}


@dataclass(slots=True)
class FileResult:
    """What one file gave: the report, its rows, its quads; or the error that stopped it."""

    path: str
    key: str
    doc: str = ""
    #: the SCHEMA.md report as JSON (UTF-8)
    report: bytes = b""
    #: articles.jsonl and figures.csv rows of the file
    article_rows: list[dict[str, Any]] = field(default_factory=list)
    figure_rows: list[dict[str, Any]] = field(default_factory=list)
    #: the page's quads as gzip-compressed N-Quads
    nquads_gz: bytes = b""
    articles: int = 0
    sentences: int = 0
    chars: int = 0
    quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@cache
def _graph_builder() -> GraphBuilder:
    """A builder per process, used only to turn reports into quads (its own small
    in-memory dataset stays empty but for the static nodes)."""
    from kg.graph import GraphBuilder

    return GraphBuilder()


def warm(options: Options) -> None:
    """Load the pipeline and the tables now (a worker's start, not its first file)."""
    from kg.api import load_nlp
    from kg.ingest.masthead import region_of_text
    from kg.ingest.words import crosses_word

    load_nlp(options.ner)
    _graph_builder()
    crosses_word("医疗", "保障")  # ingest's jieba dictionary (a second to load)
    region_of_text("甘肃省")  # the masthead's automaton of region names


def process_file(path: str, key: str, options: Options, read_from: str | None = None
                 ) -> FileResult:
    """Extract one file and make its quads. A KgError (bad input) and any unexpected
    exception become ``FileResult.error`` naming the file: one bad page must not stop
    a build of a hundred thousand.

    ``read_from``: where this process finds the file when that differs from ``path``,
    the name the outputs give as its source (a cluster worker gets an absolute path).
    """
    from kg.api import _report, load_nlp
    from kg.ingest import read_page

    result = FileResult(path=path, key=key)
    try:
        started = time.perf_counter()
        page = read_page(read_from or path, options.publication, options.region, options.date)
        ingested = time.perf_counter()
        report = _report(page, load_nlp(options.ner))
        extracted = time.perf_counter()
        nquads = _graph_builder().page_nquads(report, path)
        result.nquads_gz = gzip.compress(nquads, compresslevel=1)
        done = time.perf_counter()
    except KgError as exc:
        result.error = str(exc)
        return result
    except Exception as exc:  # a bug, not bad input: say where, keep the build going
        where = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = (f"{path}: internal error {type(exc).__name__}: {exc} "
                        f"(at {Path(where.filename).name}:{where.lineno}; please report)")
        return result
    result.doc = report.doc
    result.report = (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    for article, entry in zip(page.articles, report.articles, strict=True):
        result.article_rows.append({
            "id": article.id, "file": path, **entry,
            "publication": report.publication["name"],
            "start": article.start, "end": article.end})
    result.figure_rows = list(report.figure_rows)
    result.articles = len(page.articles)
    result.sentences = sum(len(a.sentences) for a in page.articles)
    result.chars = len(page.text)
    result.quads = nquads.count(b"\n")
    result.seconds = {"ingest": ingested - started, "extract": extracted - ingested,
                      "graph": done - extracted}
    return result
