"""How components record what they find: spans in ``doc.spans["kg"]`` with a payload.

Every span carries a label (REGION, AGENCY, PERSON, TITLE, PROGRAM), the canonical
entity it resolves to, the rule or resource that found it, and free extras (code,
kind, level …) in ``span._.kg``. Documents are tokenised one character per token, so any
character span aligns with tokens.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from spacy.tokens import Doc, Span

SPANS_KEY = "kg"


def _payload_key(label: str, start: int, end: int) -> tuple[str, str, int, int]:
    """Where a span's payload lives in ``doc.user_data``."""
    return ("kg", label, start, end)


def _get_payload(span: Span) -> dict[str, Any] | None:
    return span.doc.user_data.get(_payload_key(span.label_, span.start_char, span.end_char))


def _set_payload(span: Span, value: dict[str, Any] | None) -> None:
    span.doc.user_data[_payload_key(span.label_, span.start_char, span.end_char)] = value


if not Doc.has_extension("ctx"):
    Doc.set_extension("ctx", default=None)
# spaCy keys a span extension's value by character offsets alone, so a REGION and an
# AGENCY on the same characters would share one payload; the label is part of the key.
Span.set_extension("kg", getter=_get_payload, setter=_set_payload, force=True)


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: ``doc.text`` rebuilds it from every (character)
    token on each call."""
    text = doc.user_data.get("kg.text")
    if text is None:
        text = doc.user_data["kg.text"] = doc.text
    return text


def add_span(doc: Doc, start: int, end: int, label: str, canonical: str, rule: str,
             **extra: Any) -> Span | None:
    """Record an entity found at characters ``start:end`` of the doc's text."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        return None
    at = span.start_char, span.end_char
    # span._.kg = …, without the extension's accessor object (_set_payload)
    doc.user_data[_payload_key(label, *at)] = {"canonical": canonical, "rule": rule,
                                               **extra}
    if SPANS_KEY not in doc.spans:
        doc.spans[SPANS_KEY] = []
    doc.spans[SPANS_KEY].append(span)
    doc.user_data.setdefault("kg.added", []).append((*at, label))  # for span_rows
    return span


def release(doc: Doc) -> None:
    """Drop what ``kg_spans`` keeps: its spans refer to the doc, a cycle that keeps the
    doc and all its payloads alive until a full garbage collection (call this when the
    doc is read for the last time; it is freed at once then)."""
    doc.user_data.pop("kg.sorted", None)


def kg_spans(doc: Doc, label: str | None = None) -> list[Span]:
    """The spans components found, in text order, optionally of one label.

    Sorted once per doc and kept until a span is added: reading a span group makes a
    new Span object for every span on every read."""
    if SPANS_KEY not in doc.spans:
        return []
    group = doc.spans[SPANS_KEY]
    cached = doc.user_data.get("kg.sorted")
    if cached is None or cached[0] != len(group):
        ordered = sorted(group, key=lambda s: (s.start_char, -s.end_char))
        cached = doc.user_data["kg.sorted"] = (len(group), ordered, {})
    _, ordered, by_label = cached
    if label is None:
        return list(ordered)
    if label not in by_label:
        by_label[label] = [s for s in ordered if s.label_ == label]
    return list(by_label[label])


def covered(doc: Doc, start: int, end: int, labels: tuple[str, ...] | None = None) -> bool:
    """Whether characters start:end overlap a span already found (of the given labels)."""
    return any(s.start_char < end and start < s.end_char
               for s in kg_spans(doc) if labels is None or s.label_ in labels)


class SpanRow(NamedTuple):
    """A span's offsets, label and payload (``{}`` when it has none), read once: a
    Span looks its label up on every read, and its payload is keyed by all three."""

    start: int
    end: int
    label: str
    data: dict[str, Any]


def span_rows(doc: Doc, label: str | None = None) -> list[SpanRow]:
    """``kg_spans`` as rows, in the same order, for code that reads every span after
    the pipeline. Kept until a span is added; the list is shared: do not change it."""
    if SPANS_KEY not in doc.spans:
        return []
    group = doc.spans[SPANS_KEY]
    cached = doc.user_data.get("kg.rows")
    if cached is None or cached[0] != len(group):
        # the spans add_span appended, in order: reading them back from the group
        # makes a Span object for each (about 1.5 us)
        added = doc.user_data.get("kg.added")
        if added is None or len(added) != len(group):
            added = [(s.start_char, s.end_char, s.label_) for s in group]
        payloads = doc.user_data
        rows = [SpanRow(start, end, kind, payloads.get(_payload_key(kind, start, end)) or {})
                for start, end, kind in added]  # payloads as _get_payload reads them
        rows.sort(key=lambda r: (r.start, -r.end))  # kg_spans's order
        cached = doc.user_data["kg.rows"] = (len(group), rows, {})
    _, rows, by_label = cached
    if label is None:
        return rows
    if label not in by_label:
        by_label[label] = [r for r in rows if r.label == label]
    return by_label[label]
