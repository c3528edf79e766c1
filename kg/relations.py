"""Named rules that read the resolved spans of a sentence and state relations.

Each rule works on one sentence (or one article, where the article is the unit that
states the fact, as a meeting report does) and records which rule fired, so every
relation can be traced to the sentence that states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span

from kg.nlp.pipeline import ArticleDocs
from kg.nlp.spans import kg_spans
from kg.types import Provenance

#: Verbs by which a person takes part in a meeting.
_ATTEND = re.compile(r"出席|参加|主持|讲话|致辞|强调|指出|作报告|讲授|宣讲|参会|应邀")
#: Article headlines that name a meeting: …会议召开, …研讨会在…召开, …举行.
_MEETING_TITLE = re.compile(r"^(?P<event>.{4,60}?(?:会议|大会|座谈会|研讨会|推进会|联席会议|"
                            r"培训会|论坛|年会|会晤|全会|常委会|主席会议))(?:在.{1,10})?(?:召开|举行|开幕|闭幕)?$")
#: Verbs of signing or joint work between two parties.
_COOPERATE = re.compile(r"签署|签订|签约|合作|联合|携手|共建|协作|对接")


@dataclass(frozen=True, slots=True)
class Relation:
    """One stated relation with where it was read."""

    s: str
    p: str
    o: str
    provenance: Provenance


def _sentence_of(spans_start: int, article) -> int:
    for sentence in article.sentences:
        if sentence.start <= spans_start < sentence.end:
            return sentence.index
    return -1


def _by_sentence(item: ArticleDocs) -> dict[int, list[tuple[int, Span]]]:
    """Body spans grouped by the sentence they fall in, with page offsets."""
    out: dict[int, list[tuple[int, Span]]] = {}
    for span in kg_spans(item.body):
        start = item.body_start + span.start_char
        out.setdefault(_sentence_of(start, item.article), []).append((start, span))
    return out


def _name(span: Span) -> str | None:
    return (span._.kg or {}).get("canonical")


def article_relations(item: ArticleDocs) -> Iterable[Relation]:
    """Every relation the rules find in one article."""
    article = item.article
    doc = article.doc
    default_region = (article.dateline_regions[0] if article.dateline_regions
                      else item.context.home_region)

    def prov(start: int, end: int, rule: str, sentence: int | None = None) -> Provenance:
        index = _sentence_of(start, article) if sentence is None else sentence
        return Provenance(doc, article.index, index, start, end, rule)

    for sentence, spans in _by_sentence(item).items():
        agencies = [(s, sp) for s, sp in spans if sp.label_ == "AGENCY"]
        regions = [(s, sp) for s, sp in spans if sp.label_ == "REGION"
                   and (sp._.kg or {}).get("level") != "country"]
        for start, span in spans:
            if span.label_ != "PROGRAM":
                continue
            name = _name(span)
            before = [(s, a) for s, a in agencies if s < start]
            if before:  # the agency that acts on the program in the same sentence
                s, agency = before[-1]
                yield Relation(_name(agency), "administers", name,
                               prov(s, start + len(span.text), "relations.agency_before_program"))
            near = min(regions, key=lambda r: abs(r[0] - start)) if regions else None
            region = _name(near[1]) if near else default_region
            if region:
                yield Relation(name, "applies_to", region,
                               prov(start, start + len(span.text), "relations.program_region"))
        sentence_text = next((x.text for x in article.sentences if x.index == sentence), "")
        if len(agencies) >= 2 and _COOPERATE.search(sentence_text):
            first_start, first = agencies[0]
            for start, other in agencies[1:]:
                if _name(other) != _name(first):
                    yield Relation(_name(first), "cooperates_with", _name(other),
                                   prov(first_start, start + len(other.text),
                                        "relations.cooperation_verb"))
    meeting = _MEETING_TITLE.match(article.title or "")
    if meeting:
        event = meeting.group("event")
        for start, span in ((item.body_start + sp.start_char, sp)
                            for sp in kg_spans(item.body, "PERSON")):
            index = _sentence_of(start, article)
            text = next((x.text for x in article.sentences if x.index == index), "")
            if _ATTEND.search(text):
                yield Relation(_name(span), "attended", event,
                               prov(start, start + len(span.text), "relations.meeting_article"))


def page_relations(docs: Iterable[ArticleDocs]) -> list[Relation]:
    """Relations of a page, each stated once (the first sentence that states it)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in docs:
        for rel in article_relations(item):
            key = (rel.s, rel.p, rel.o)
            if rel.s and rel.o and key not in seen:
                seen.add(key)
                out.append(rel)
    return out
