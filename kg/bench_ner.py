"""``make bench`` (NER part): what the trained NER costs.

Writes ``outputs/bench/ner.json``: the entity pipeline over copies of the seed pages
(ingested beforehand, not timed) without and with ``kg_ner``, in characters per second,
timed alternately in the same run so a noisy machine affects both alike; the model alone
over the same bodies, a page's bodies per call (as ``process_page`` runs it), one body
per call, and one body per call with thinc's default (BLIS) ops as loaded by
``spacy.load``; the model's load time (from disk, uncached; and its first load in a
fresh process). ``--msra-test`` adds a held-out check of the spans kg_ner adds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from kg.ingest import build_page
from kg.io import write_json
from kg.nlp import components  # noqa: F401  (registers the rule factories)
from kg.nlp.pipeline import CONFIG, process_page

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def pipelines():
    """(without kg_ner, with kg_ner): the kg pipeline from its config, and the same
    config with kg_ner left out."""
    from kg.ner import component  # noqa: F401  (registers kg_ner)

    cfg = spacy.util.load_config(CONFIG)
    with_ner = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    with_ner.initialize()
    if "kg_ner" not in with_ner.pipe_names:
        with_ner.add_pipe("kg_ner")
        with_ner.get_pipe("kg_ner").initialize()
    without = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    if "kg_ner" in without.pipe_names:
        without.remove_pipe("kg_ner")
    without.initialize()
    return without, with_ner


def run(copies: int, rounds: int = 3) -> dict:
    from kg.ner.component import MODEL_DIR, _openblas, load_seconds

    paths = sorted(SEEDS.glob("*.txt"))
    pages = [build_page(p.read_text("utf-8"), p.name) for p in paths]
    chars = sum(len(a.body) + len(a.title or "") for p in pages for a in p.articles)
    without, with_ner = pipelines()
    for nlp in (without, with_ner):
        process_page(pages[0], nlp)  # warm caches
    best = {"without": float("inf"), "with": float("inf")}
    for _ in range(rounds):
        for key, nlp in (("without", without), ("with", with_ner)):
            started = time.perf_counter()
            for _ in range(copies):
                for page in pages:
                    process_page(page, nlp)
            best[key] = min(best[key], time.perf_counter() - started)
    ner = with_ner.get_pipe("kg_ner")
    page_texts = [[a.body for a in p.articles] for p in pages]
    texts = [t for batch in page_texts for t in batch]
    model_s = {"one": float("inf"), "page": float("inf"), "blis": float("inf")}
    blis = spacy.load(MODEL_DIR)  # thinc's default ops, one doc at a time: as before
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(copies):
            for text in texts:
                ner.predict([text])
        model_s["one"] = min(model_s["one"], time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(copies):
            for batch in page_texts:
                ner.predict(batch)
        model_s["page"] = min(model_s["page"], time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(copies):
            for text in texts:
                blis(text)
        model_s["blis"] = min(model_s["blis"], time.perf_counter() - started)
    model_chars = sum(map(len, texts)) * copies
    total = chars * copies
    rate_without = total / best["without"]
    rate_with = total / best["with"]
    return {
        "pages": len(pages) * copies,
        "chars": total,
        "rounds": rounds,
        "pipeline_without_ner_chars_per_sec": round(rate_without),
        "pipeline_with_ner_chars_per_sec": round(rate_with),
        "slowdown": round(rate_without / rate_with, 3),
        # the model over the bodies as kg_ner runs it: one page's texts per call
        "model_alone_chars_per_sec": round(model_chars / model_s["page"]),
        "model_one_doc_per_call_chars_per_sec": round(model_chars / model_s["one"]),
        "model_thinc_default_ops_one_doc_chars_per_sec": round(
            model_chars / model_s["blis"]),
        "blas": "openblas, 1 thread" if _openblas() is not None else "thinc default",
        "model_load_s": round(min(load_seconds() for _ in range(3)), 3),
        "model_load_fresh_process_s": _fresh_load_seconds(),
    }


def _fresh_load_seconds() -> float:
    """The model's first load in a new Python process (spaCy and kg imported first)."""
    import subprocess
    import sys

    code = ("import time; from kg.ner import component as c; "
            "t = time.perf_counter(); c.load_model(); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return round(float(out.split()[-1]), 3)


def added_precision(msra_test: Path, limit: int | None = None) -> dict:
    """Held-out check of what kg_ner adds: the whole kg pipeline over MSRA *test*
    sentences (no paper, no home region), and for the spans kg_ner added (beyond the
    rules), the share whose offsets and type match an MSRA gold entity (PERSON → PER,
    AGENCY → ORG, REGION → LOC). MSRA's conventions differ from kg's (it tags 中国 in
    中国政府 as LOC, kg names the agency), so this is a lower bound on their precision;
    the rule spans are counted the same way for comparison."""
    from kg.ner import data
    from kg.nlp.context import Context
    from kg.nlp.pipeline import build_nlp
    from kg.nlp.pipeline import run as run_pipeline
    from kg.nlp.spans import kg_spans

    nlp = build_nlp()
    if "kg_ner" not in nlp.pipe_names:
        nlp = pipelines()[1]
    types = {"PERSON": "PER", "AGENCY": "ORG", "REGION": "LOC"}
    counts = {
        who: {t: [0, 0] for t in ("PER", "ORG", "LOC")} for who in ("ner", "rules")
    }
    for i, sent in enumerate(data.read_msra(msra_test)):
        if limit is not None and i >= limit:
            break
        gold = set(sent.ents)
        doc = run_pipeline(nlp, sent.text, Context())
        for span in kg_spans(doc):
            kind = types.get(span.label_)
            if kind is None:
                continue
            who = "ner" if (span._.kg or {}).get("ner") else "rules"
            counts[who][kind][1] += 1
            counts[who][kind][0] += (span.start_char, span.end_char, kind) in gold
    return {
        who: {t: {"matched": m, "added" if who == "ner" else "found": n,
                  "precision": round(m / n, 3) if n else None}
              for t, (m, n) in by_type.items()}
        for who, by_type in counts.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="outputs/bench", type=Path)
    parser.add_argument("--copies", default=2, type=int,
                        help="passes over the five seed pages per round (default 2)")
    parser.add_argument("--msra-test", type=Path,
                        help="msra_test.txt (from kg train's work folder): also check "
                             "what kg_ner adds against MSRA's held-out gold")
    parser.add_argument("--limit", type=int, help="sentences of --msra-test to use")
    args = parser.parse_args()
    result = run(args.copies)
    if args.msra_test:
        result["msra_test_added_spans"] = added_precision(args.msra_test, args.limit)
    write_json(args.out / "ner.json", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
