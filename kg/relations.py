"""Named rules that read the resolved spans of a sentence and state relations.

Each rule works on one sentence (or one article, where the article is the unit that
states the fact, as a meeting report does) and records which rule fired, so every
relation can be traced to the sentence that states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.nlp.pipeline import ArticleDocs
from kg.nlp.spans import SpanRow, span_rows
from kg.types import Provenance

#: Verbs by which a person takes part in a meeting.
_ATTEND = re.compile(r"出席|参加|主持|致辞|参会|列席")
#: Article headlines that name a meeting: …会议召开, …研讨会在…召开, …举行.
_MEETING_TITLE = re.compile(r"^(?P<event>.{4,60}?(?:会议|大会|座谈会|研讨会|推进会|联席会议|"
                            r"培训会|论坛|年会|会晤|全会|常委会|主席会议))(?:在.{1,10})?(?:召开|举行|开幕|闭幕)?$")
_MEETING_END = re.compile(r"(?:会议|大会|会|论坛|会晤|全会)$")
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


def _by_sentence(item: ArticleDocs) -> dict[int, list[tuple[int, SpanRow]]]:
    """Body spans grouped by the sentence they fall in, with page offsets."""
    out: dict[int, list[tuple[int, SpanRow]]] = {}
    for span in span_rows(item.body):
        start = item.body_start + span.start
        out.setdefault(_sentence_of(start, item.article), []).append((start, span))
    return out


def _name(span: SpanRow) -> str | None:
    return span.data.get("canonical")


def article_relations(item: ArticleDocs) -> Iterable[Relation]:
    """Every relation the rules find in one article."""
    article = item.article
    doc = article.doc
    about = content_regions(item)
    content = {(sp.start, sp.end) for sp in about}
    default_region = article_scope(item, about)
    within = _descendants_test(default_region)

    def prov(start: int, end: int, rule: str, sentence: int) -> Provenance:
        return Provenance(doc, article.index, sentence, start, end, rule)

    actor = main_agency(item)
    # every span of a group lies in its sentence: that is the provenance's sentence
    for sentence, spans in _by_sentence(item).items():
        agencies = [(s, sp) for s, sp in spans if sp.label == "AGENCY"
                    and sp.data.get("kind") != "media"]
        regions = [(s, sp) for s, sp in spans if sp.label == "REGION"
                   and sp.data.get("level") != "country"
                   and (sp.start, sp.end) in content]
        inside: list[tuple[int, SpanRow]] | None = None  # the same for every program
        for start, span in spans:
            if span.label != "PROGRAM":
                continue
            name = _name(span)
            end = start + span.end - span.start
            before = [(s, a) for s, a in agencies if s < start]
            if before:  # the agency that acts on the program in the same sentence
                s, agency = before[-1]
                rule = "relations.agency_before_program"
                yield Relation(_name(agency), "administers", name,
                               prov(s, end, rule, sentence))
            elif actor is not None and not agencies:
                # no agency in the sentence: the agency the article is about acts
                yield Relation(actor, "administers", name,
                               prov(start, end, "relations.article_actor", sentence))
            # the program's own place when the sentence names one inside the article's
            # scope (积石山县 in a Gansu article), else the article's scope
            if inside is None:
                inside = [r for r in regions if within(_name(r[1]))
                          and r[1].data.get("level") in ("prefecture", "county", "township")]
            near = min(inside, key=lambda r: abs(r[0] - start)) if inside else None
            region = _name(near[1]) if near else default_region
            if region:
                yield Relation(name, "applies_to", region,
                               prov(start, end, "relations.program_region", sentence))
        if len(agencies) < 2:
            continue
        text = next((x.text for x in article.sentences if x.index == sentence), "")
        if _COOPERATE.search(text):
            first_start, first = agencies[0]
            for start, other in agencies[1:]:
                if _name(other) != _name(first):
                    end = start + other.end - other.start
                    yield Relation(_name(first), "cooperates_with", _name(other),
                                   prov(first_start, end, "relations.cooperation_verb",
                                        sentence))
    for event in meeting_events(article.title or ""):
        for span in span_rows(item.body, "PERSON"):
            start = item.body_start + span.start
            index = _sentence_of(start, article)
            text = next((x.text for x in article.sentences if x.index == index), "")
            verb = _ATTEND.search(text)
            bylined = any(b.name == _name(span) for b in article.bylines)
            # the person stands before the verb, or close after it (主持会议的有姚鸿波)
            if verb and not bylined and start - _sentence_start(article, index) < verb.start() + 40:
                yield Relation(_name(span), "attended", event,
                               prov(start, start + span.end - span.start,
                                    "relations.meeting_article", index))


_HELD = re.compile(r"(?:举行|召开|出席|参加)(?!.*(?:举行|召开|出席|参加))")


def meeting_events(title: str) -> list[str]:
    """Meetings a headline reports: 西北地区…第一次联席会议召开 → that meeting;
    习近平离京赴美国举行中美元首会晤 → 中美元首会晤; 市政协第23次党组(扩大)会议和主席会议召开
    → both meetings, the second with the modifiers the two share (市政协第23次)."""
    m = _MEETING_TITLE.match(title)
    if not m:
        return []
    event = m.group("event")
    held = _HELD.search(event)
    if held:
        event = event[held.end():]
    first, sep, second = event.partition("和")
    if sep and _MEETING_END.search(first) and _MEETING_END.search(second):
        shared = first[: first.rfind("次") + 1] if "次" in first else ""
        return [first, second if second.startswith(shared) else shared + second]
    return [event]


def _sentence_start(article, index: int) -> int:
    return next((x.start for x in article.sentences if x.index == index), 0)


def main_agency(item: ArticleDocs) -> str | None:
    """The agency an article is about: the one it names most, at least twice (the
    paper itself, a media agency, never counts)."""
    counts: dict[str, int] = {}
    for doc in (item.title, item.body):
        if doc is None:
            continue
        for span in span_rows(doc, "AGENCY"):
            data = span.data
            if data.get("kind") != "media" and data.get("canonical"):
                counts[data["canonical"]] = counts.get(data["canonical"], 0) + 1
    if not counts:
        return None
    best, n = max(counts.items(), key=lambda kv: kv[1])
    return best if n >= 2 else None


def content_regions(item: ArticleDocs) -> list[SpanRow]:
    """REGION spans the text is about: not the dateline (本报兰州讯), not a region inside
    an agency's name (兰州银行)."""
    article = item.article
    lead_end = len(article.lead) + 20 if article.lead else 0
    agencies = [(a.start, a.end) for a in span_rows(item.body, "AGENCY")]
    return [span for span in span_rows(item.body, "REGION") if span.start >= lead_end
            and not any(a <= span.start < b for a, b in agencies)]


def article_scope(item: ArticleDocs, about: list[SpanRow]) -> str | None:
    """The region an article is about: the division it names most (at least twice)
    among ``about`` (its ``content_regions``) inside the paper's home, else the paper's
    home region. The dateline is where the reporter filed from (the provincial
    capital, often), not what the story is about."""
    article = item.article
    home = item.context.home_region or (
        article.dateline_regions[-1] if article.dateline_regions else None)
    within = _descendants_test(home)
    counts: dict[str, int] = {}
    for span in about:
        data = span.data
        if data.get("level") in ("prefecture", "county") and within(data.get("canonical")):
            counts[data["canonical"]] = counts.get(data["canonical"], 0) + 1
    if counts:
        best, n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 2 and best != home:
            return best
    return home


def _descendants_test(root: str | None):
    """A test: is a region name the root or inside it (by the division table)?"""
    from kg.resources.regions import load_regions

    table = load_regions()

    def test(name: str | None) -> bool:
        if not name or not root:
            return False
        if name == root:
            return True
        found = table.by_name(name)
        return bool(found) and any(a.name == root for a in table.ancestors(found[0]))

    return test


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
