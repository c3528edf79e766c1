"""``make bench``: extraction speed on a corpus made from the seed pages.

Writes ``outputs/bench/summary.json`` and ``outputs/bench/summary.md``. Plain
``jieba.lcut`` over the same text is timed in the same run as a yardstick, so the
ratio holds on a noisy machine. Only the stages that exist are measured (ingest today).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import time
from pathlib import Path

from kg.ingest import build_page
from kg.io import write_atomic, write_json

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _corpus(copies: int) -> list[tuple[str, str]]:
    pages = [(p.stem, p.read_text("utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return [(f"{stem}_{i:05d}.txt", text) for i in range(copies) for stem, text in pages]


def run(copies: int) -> dict[str, float | int]:
    """Time ingest over ``copies`` copies of the seed pages and jieba.lcut over the same
    text."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    corpus = _corpus(copies)
    build_page(corpus[0][1], corpus[0][0])  # warm caches (jieba dictionary, tables)
    started = time.perf_counter()
    articles = chars = 0
    texts = []
    for doc, text in corpus:
        page = build_page(text, doc)
        articles += len(page.articles)
        chars += len(page.text)
        texts.extend(a.body for a in page.articles)
    ingest_s = time.perf_counter() - started
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    started = time.perf_counter()
    for body in texts:
        tokenizer.lcut(body)
    jieba_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ingest_rate = chars / ingest_s
    jieba_rate = chars / jieba_s
    return {
        "articles": articles,
        "pages": len(corpus),
        "chars": chars,
        "wall_s": round(ingest_s, 3),
        "chars_per_sec_per_core_ingest": round(ingest_rate),
        "jieba_lcut_chars_per_sec": round(jieba_rate),
        "ratio_ingest_vs_jieba": round(ingest_rate / jieba_rate, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="outputs/bench", type=Path)
    parser.add_argument("--copies", default=200, type=int,
                        help="copies of the five seed pages (default 200: 1,000 pages)")
    args = parser.parse_args()
    result = run(args.copies)
    write_json(args.out / "summary.json", result)
    table = ["| measure | value |", "|---|---|"]
    table += [f"| {key} | {value} |" for key, value in result.items()]
    write_atomic(args.out / "summary.md", "# kg bench\n\n" + "\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
