"""``make bench`` / ``make bench-full``: kg's speed and memory on a corpus made from the
seed pages.

Two measurements, written to ``outputs/bench/summary.json`` and ``summary.md``:

- **Stages, per core**: in this process, over copies of the seed pages, the time of
  each stage (ingest, each pipeline component, resolution — entities, relations,
  figures —, graph writing: the page's quads serialised, then loaded into an on-disk
  Oxigraph store 20 pages at a time as ``kg build`` loads them), once
  with the rule components alone and once with every component (the trained NER too),
  alternating page by page, each on its own distinct copy. Stage clocks are CPU time
  of this process (``time.process_time``), so other jobs on the machine do not count.
  Plain ``jieba.lcut`` over the same page texts is timed in the same run as the
  yardstick: ``ratio_rules_vs_jieba`` ≥ 1 means the rules read text at least as fast
  as jieba merely cuts it into words. ``ratio_store_vs_jieba`` is the same ratio for
  the store stage alone: the floor under the other, since every page must end there.
- **A whole build**: ``kg build -j N`` (every component) in a fresh process over a
  corpus of distinct copies of the seed pages (one file per copy, ids distinct:
  ``000_…_c00042.txt``, digits permuted per copy so no copy is another's text), from
  an empty output folder: wall time, articles, and the peak
  memory of the whole process tree (the build and its workers, sampled). A smaller
  corpus is built the same way first, so the summary shows whether memory grows with
  the corpus.

``make bench`` builds about 10^4 articles (6 minutes on 2 cores); ``make
bench-full`` about 10^5 (90 minutes, 2026-11-23).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kg.io import write_atomic, write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


# -- the corpus ---------------------------------------------------------------------------


def seed_pages() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text("utf-8")) for p in sorted(SEEDS.glob("*.txt"))]


def distinct_copy(text: str, copy: int) -> str:
    """The page with its digits permuted, a permutation per copy: copies are distinct
    texts (no cache keyed by a text or a sentence can serve one copy from another), yet
    every copy is the same page to cut and read."""
    import random

    digits = list("0123456789")
    random.Random(copy).shuffle(digits)
    table = {ord(str(d)): digits[d] for d in range(10)}
    table.update({0xFF10 + d: chr(0xFF10 + int(digits[d])) for d in range(10)})
    return text.translate(table)


def articles_per_seed_round() -> int:
    """Articles in one copy of the five seed pages (as kg cuts them)."""
    from kg.ingest import build_page

    return sum(len(build_page(text, stem).articles) for stem, text in seed_pages())


def make_corpus(folder: Path, articles: int) -> tuple[int, int]:
    """Write copies of the seed pages into ``folder`` until they hold about ``articles``
    articles; returns (files, copies). A folder already holding the same corpus is
    kept (its files are written once)."""
    per_round = articles_per_seed_round()
    copies = max(1, math.ceil(articles / per_round))
    pages = seed_pages()
    marker = folder / ".corpus.json"
    wanted = {"copies": copies, "seeds": [stem for stem, _ in pages], "distinct": 1}
    if marker.is_file() and json.loads(marker.read_text("utf-8")) == wanted:
        return copies * len(pages), copies
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(copies):
        sub = folder / f"{i // 1000:03d}"  # at most 5,000 files a folder
        sub.mkdir(exist_ok=True)
        for stem, text in pages:
            (sub / f"{stem}_c{i:05d}.txt").write_text(distinct_copy(text, i), "utf-8")
    marker.write_text(json.dumps(wanted), "utf-8")
    return copies * len(pages), copies


# -- stages, per core ---------------------------------------------------------------------


class _Timed:
    """A pipeline component that adds the seconds it takes to ``clock[name]``."""

    def __init__(self, name: str, proc: Any, clock: dict[str, float]) -> None:
        self.name, self.proc, self.clock = name, proc, clock

    def __call__(self, doc: Any) -> Any:
        started = time.process_time()
        try:
            return self.proc(doc)
        finally:
            self.clock[self.name] += time.process_time() - started

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self.proc, attr)
        if attr != "prepare" or not callable(value):
            return value

        def prepare(docs: Any) -> Any:  # the NER reads a page's texts in one batch
            started = time.process_time()
            try:
                return value(docs)
            finally:
                self.clock[self.name] += time.process_time() - started

        return prepare


def _timed_nlp(ner: bool, clock: dict[str, float]) -> Any:
    """A fresh pipeline (rules alone, or every component) whose components time
    themselves into ``clock``."""
    import spacy

    from kg.api import _frozen
    from kg.nlp import components  # noqa: F401  (registers the rule factories)
    from kg.nlp.pipeline import CONFIG

    if ner:
        from kg.ner import component  # noqa: F401  (registers kg_ner)
    cfg = spacy.util.load_config(CONFIG)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    if not ner and "kg_ner" in nlp.pipe_names:
        nlp.remove_pipe("kg_ner")
    nlp.initialize()
    nlp._components = [(name, _Timed(name, proc, clock))  # noqa: SLF001
                       for name, proc in nlp._components]  # noqa: SLF001
    return _frozen(nlp)  # as kg.api.load_nlp leaves it


def measure_stages(copies: int) -> dict[str, Any]:
    """Seconds per stage over ``copies`` copies of the seed pages, rules alone and every
    component, and jieba.lcut over the same texts; rates in characters per second."""
    import tempfile

    import jieba
    import pyoxigraph as ox

    from kg.api import _report
    from kg.build import _Loader
    from kg.graph import GraphBuilder
    from kg.ingest import build_page

    jieba.setLogLevel(logging.WARNING)
    pages = seed_pages()
    clocks = {"rules": defaultdict(float), "all": defaultdict(float)}
    nlps = {name: _timed_nlp(name == "all", clocks[name]) for name in clocks}
    builder = GraphBuilder()
    scratch = tempfile.TemporaryDirectory(prefix="kg-bench-store-")
    loaders = {name: _Loader(ox.Store(str(Path(scratch.name) / name)), set()) for name in nlps}
    for name, nlp in nlps.items():  # warm every table, model and store (not timed)
        for stem, text in pages:
            page = build_page(distinct_copy(text, 0), stem)
            loaders[name].add(page.doc, builder.page_nquads(_report(page, nlp), page.doc))
        loaders[name].close()
    for clock in clocks.values():
        clock.clear()
    chars = 0
    texts = []
    for i in range(copies):
        for stem, seed_text in pages:
            for k, (name, nlp) in enumerate(nlps.items()):
                clock = clocks[name]
                text = distinct_copy(seed_text, 2 * i + k + 1)  # each pipeline its own
                started = time.process_time()
                page = build_page(text, f"{stem}_c{i:05d}.txt")
                ingested = time.process_time()
                in_pipeline = sum(clock.values())
                report = _report(page, nlp)
                extracted = time.process_time()
                nquads = builder.page_nquads(report, page.doc)
                serialised = time.process_time()
                loaders[name].add(page.doc, nquads)  # loads every 20th page's batch
                done = time.process_time()
                components = sum(clock.values()) - in_pipeline
                clock["ingest"] += ingested - started
                clock["resolve"] += (extracted - ingested) - components
                clock["graph"] += serialised - extracted
                clock["store"] += done - serialised
            chars += len(page.text)
            texts.append(page.text)
    for name, loader in loaders.items():  # the batch left over, as a build's end loads it
        started = time.process_time()
        loader.close()
        clocks[name]["store"] += time.process_time() - started
    loaders.clear()
    scratch.cleanup()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.process_time()
    for text in texts:
        tokenizer.lcut(text)
    jieba_s = time.process_time() - started
    result: dict[str, Any] = {"stage_pages": len(texts), "stage_chars": chars,
                              "jieba_lcut_chars_per_sec": round(chars / jieba_s)}
    for name, clock in clocks.items():
        total = sum(clock.values())
        result[f"chars_per_sec_per_core_{name}"] = round(chars / total)
        result[f"stages_{name}"] = {stage: {"seconds": round(s, 3),
                                            "chars_per_sec": round(chars / s) if s else None}
                                    for stage, s in clock.items()}
    result["ratio_rules_vs_jieba"] = round(
        result["chars_per_sec_per_core_rules"] / result["jieba_lcut_chars_per_sec"], 3)
    # The floor under the ratio: loading the quads into the on-disk store alone, against
    # jieba over the same text (1.0 would mean the store alone takes all of jieba's time).
    result["ratio_store_vs_jieba"] = round(jieba_s / clocks["rules"]["store"], 3)
    result["ratio_all_vs_jieba"] = round(
        result["chars_per_sec_per_core_all"] / result["jieba_lcut_chars_per_sec"], 3)
    return result


# -- a whole build ------------------------------------------------------------------------


class _TreeMemory:
    """Peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = 0
                for proc in procs:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self._stop.wait(self.every)

    def __enter__(self) -> _TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure_build(corpus: Path, out: Path, jobs: int, ner: bool = True) -> dict[str, Any]:
    """``kg build`` of ``corpus`` into an empty ``out`` in a fresh process: wall time,
    what it read, the peak memory of its process tree."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out),
               "-j", str(jobs), "--no-progress", *([] if ner else ["--no-ner"])]
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    with _TreeMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"bench: kg build failed ({proc.returncode}): {stderr.strip()}")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    return {
        "files": summary["files"], "articles": summary["articles"],
        "chars": summary["chars"], "quads": summary["quads"], "jobs": jobs,
        "wall_s": round(wall, 1),
        "chars_per_sec_per_core": round(summary["chars"] / wall / jobs),
        "peak_rss_mb": round(memory.peak / 2**20, 1),
        "stage_seconds": summary["stage_seconds"],
        "line": stdout.strip().splitlines()[-1] if stdout.strip() else "",
    }


# -- the report ---------------------------------------------------------------------------


def _table(result: dict[str, Any]) -> str:
    lines = ["# kg bench", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores.", "",
             "| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in result.items() if not isinstance(v, dict)]
    for name in ("rules", "all"):
        lines += ["", f"Stages, one core, {name} (characters per second):", "",
                  "| stage | seconds | chars/s |", "|---|---|---|"]
        for stage, v in result[f"stages_{name}"].items():
            lines.append(f"| {stage} | {v['seconds']} | {v['chars_per_sec']} |")
    for key in ("build_small", "build"):
        b = result[key]
        lines += ["", f"`kg build -j {b['jobs']}` of {b['articles']} articles: "
                      f"{b['wall_s']} s, {b['chars_per_sec_per_core']} chars/s per core, "
                      f"peak {b['peak_rss_mb']} MB (process tree)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="outputs/bench", type=Path)
    parser.add_argument("--articles", default=10_000, type=int,
                        help="articles in the corpus built (default 10,000; "
                             "make bench-full: 100,000)")
    parser.add_argument("--small", default=1_000, type=int,
                        help="articles in the smaller corpus built first (memory check)")
    parser.add_argument("--stage-copies", default=4, type=int,
                        help="copies of the five seed pages timed stage by stage")
    parser.add_argument("-j", "--jobs", default=None, type=int,
                        help="build workers (default: every core)")
    args = parser.parse_args(argv)
    from kg.parallel import default_jobs

    jobs = args.jobs or default_jobs()
    work = args.out / "work"
    result: dict[str, Any] = {}
    stages = measure_stages(args.stage_copies)
    builds = {}
    for key, size in (("build_small", args.small), ("build", args.articles)):
        corpus = work / f"corpus-{size}"
        make_corpus(corpus, size)
        builds[key] = measure_build(corpus, work / f"build-{size}", jobs)
    big = builds["build"]
    result.update({
        "articles": big["articles"],
        "wall_s": big["wall_s"],
        "chars_per_sec_per_core_rules": stages["chars_per_sec_per_core_rules"],
        "chars_per_sec_per_core_all": stages["chars_per_sec_per_core_all"],
        "jieba_lcut_chars_per_sec": stages["jieba_lcut_chars_per_sec"],
        "ratio_rules_vs_jieba": stages["ratio_rules_vs_jieba"],
        "peak_rss_mb": big["peak_rss_mb"],
        "peak_rss_mb_small": builds["build_small"]["peak_rss_mb"],
        "articles_small": builds["build_small"]["articles"],
        "build_chars_per_sec_per_core": big["chars_per_sec_per_core"],
        "jobs": jobs,
        **{k: v for k, v in stages.items() if k not in result},
        **builds,
    })
    write_json(args.out / "summary.json", result)  # the latest run
    write_json(args.out / f"summary-{args.articles}.json", result)  # kept per size
    write_atomic(args.out / "summary.md", _table(result))
    print(_table(result))


if __name__ == "__main__":
    main()
