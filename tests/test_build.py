"""``kg build`` at scale: workers, incremental rebuilds, deletions, a killed build.

The rule components alone (``ner=False``) keep these fast; what is checked is the
build's bookkeeping, so the outputs are compared with a plain serial build.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build

#: The two smallest seed pages (seconds each to extract).
SMALL = ("001_1054eb50c815fcae.txt", "002_e78c950c36f9347a.txt")


@pytest.fixture()
def corpus(tmp_path, seed_paths) -> Path:
    """A folder with copies of the two smallest seed pages."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in seed_paths:
        if path.name in SMALL:
            shutil.copy(path, folder / path.name)
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    """What a build wrote that must not depend on how it ran."""
    files = {name: (out / name).read_bytes()
             for name in ("articles.jsonl", "figures.csv", "graph.ttl", "graph.trig")}
    for report in sorted((out / "reports").glob("*.json")):
        files[f"reports/{report.name}"] = report.read_bytes()
    return files


def _quads(out: Path) -> set[str]:
    return {str(q) for q in ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)}


@pytest.fixture()
def serial(corpus, tmp_path) -> Path:
    out = tmp_path / "serial"
    build([corpus], out, jobs=1, ner=False)
    return out


def test_parallel_build_writes_what_a_serial_build_writes(corpus, serial, tmp_path):
    out = tmp_path / "parallel"
    summary = build([corpus], out, jobs=2, ner=False)
    assert summary.extracted == 2 and not summary.rejected
    assert _outputs(out) == _outputs(serial)


def test_rebuild_of_unchanged_files_extracts_nothing_and_writes_the_same(corpus, serial):
    before = _outputs(serial)
    summary = build([corpus], serial, jobs=1, ner=False)
    assert (summary.extracted, summary.reused, summary.files) == (0, 2, 2)
    assert _outputs(serial) == before


def test_rebuild_extracts_only_a_changed_file(corpus, serial):
    page = corpus / SMALL[0]
    page.write_text(page.read_text("utf-8") + "\n本报讯 兰州市今年新建学校12所。\n", "utf-8")
    summary = build([corpus], serial, jobs=1, ner=False)
    assert (summary.extracted, summary.reused) == (1, 1)
    assert "新建学校12所" in (serial / "graph.ttl").read_text("utf-8")


def test_deleted_file_leaves_no_fact_behind(corpus, serial, tmp_path):
    (corpus / SMALL[1]).unlink()
    summary = build([corpus], serial, jobs=1, ner=False)
    assert (summary.extracted, summary.removed, summary.files) == (0, 1, 1)
    fresh = tmp_path / "fresh"
    build([corpus], fresh, jobs=1, ner=False)
    assert _quads(serial) == _quads(fresh)
    assert not (serial / "reports" / f"{Path(SMALL[1]).stem}.json").exists()
    assert Path(SMALL[1]).stem not in (serial / "articles.jsonl").read_text("utf-8")


def test_new_file_is_extracted_alone_and_joins_the_graph(corpus, serial, seed_paths):
    added = next(p for p in seed_paths if p.name not in SMALL)
    shutil.copy(added, corpus / added.name)
    summary = build([corpus], serial, jobs=1, ner=False)
    assert (summary.extracted, summary.reused, summary.files) == (1, 2, 3)
    assert (serial / "reports" / f"{added.stem}.json").is_file()


def test_store_in_an_unknown_state_is_refilled_from_the_cache(corpus, serial):
    """A build killed while loading the store leaves no manifest: the next build
    reloads the store from the kept results instead of trusting it."""
    before = _quads(serial)
    (serial / ".kg" / "store.json").unlink()
    summary = build([corpus], serial, jobs=1, ner=False)
    assert summary.extracted == 0
    assert _quads(serial) == before


def test_killed_build_keeps_the_previous_outputs_and_the_next_one_resumes(
        corpus, seed_paths, tmp_path):
    from kg.cache import code_fingerprint

    code_fingerprint.cache_clear()  # the build in a new process hashes kg afresh
    out = tmp_path / "out"
    build([corpus / SMALL[0]], out, jobs=1, ner=False)
    before = _outputs(out)
    for path in seed_paths:  # now five pages
        shutil.copy(path, corpus / path.name)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "-j", "1",
         "--no-ner"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    deadline = time.monotonic() + 120
    entries = out / ".kg" / "files"
    try:  # kill it once it has finished a new file and is working on the next
        while len(list(entries.glob("*/*.json"))) < 2:
            assert proc.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _outputs(out) == before  # every output as the last complete build left it
    finished = len(list(entries.glob("*/*.json")))
    assert 2 <= finished < 5
    summary = build([corpus], out, jobs=1, ner=False)
    assert summary.reused == finished and summary.extracted == 5 - finished
    assert summary.files == 5
    assert not list(out.glob(".*.tmp")) and not list((out / "reports").glob(".*.tmp"))


def test_summary_counts_what_was_extracted_and_reused(corpus, serial):
    data = json.loads((serial / "summary.json").read_text("utf-8"))
    assert (data["files"], data["extracted"], data["reused"]) == (2, 2, 0)
    assert data["quads"] > 1000
    assert set(data["stage_seconds"]) == {"ingest", "extract", "graph"}


def test_dask_local_cluster_builds_what_a_serial_build_writes(corpus, serial, tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "dask"
    summary = build([corpus], out, dask="local", ner=False)
    assert summary.extracted == 2 and not summary.rejected
    assert _outputs(out) == _outputs(serial)


def test_graph_past_the_sorting_limit_is_streamed_with_the_same_content(
        corpus, serial, monkeypatch):
    """Big graphs are written straight from the store (bounded memory), not sorted:
    the same quads in graph.trig, the same triples in graph.ttl."""
    import kg.graph.store

    sorted_trig = (serial / "graph.trig").read_bytes()
    trig = _quads(serial)
    ttl = set(ox.parse(path=str(serial / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    monkeypatch.setattr(kg.graph.store, "SORTED_LIMIT", 100)
    build([corpus], serial, jobs=1, ner=False)
    assert (serial / "graph.trig").read_bytes() != sorted_trig  # streamed, not sorted
    assert _quads(serial) == trig
    assert set(ox.parse(path=str(serial / "graph.ttl"), format=ox.RdfFormat.TURTLE)) == ttl


def test_store_loader_marks_a_failed_batch_so_no_manifest_trusts_it(tmp_path):
    """Pages go into the store in bulk loads that are not transactions: a batch that
    fails leaves the loader not ``whole`` (the build then writes no manifest and the
    next one refills the store) and its keys out of ``held``."""
    from kg.build import LOAD_EVERY, _Loader

    held: set[str] = set()
    loader = _Loader(ox.Store(str(tmp_path / "store")), held)
    good = b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    for n in range(LOAD_EVERY):
        loader.add(f"good{n}", good)
    assert held == {f"good{n}" for n in range(LOAD_EVERY)} and loader.whole
    with pytest.raises(SyntaxError):
        for n in range(LOAD_EVERY):
            loader.add(f"bad{n}", good if n else b"<urn:x:s> <not an iri> .\n")
    assert not loader.whole and not any(key.startswith("bad") for key in held)
    loader.close()  # loads nothing more
    assert not any(key.startswith("bad") for key in held)
