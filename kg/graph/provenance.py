"""Articles as named graphs, sentences as sources, and where each statement was read.

Each article is a named graph (its IRI is the graph name) holding its metadata
(dcterms:title, dcterms:publisher, dcterms:date, dcterms:source = the file, the page it
is part of) and its sentences (kg:Sentence with rdf:value = the text and kg:startOffset /
kg:endOffset in the cleaned page text; the headline is a sentence too).

Every statement kg extracts is asserted in the default graph and described in the
provenance graph (``kggraph:provenance``) by an ``rdf:Statement`` reification::

    stmt:… a rdf:Statement ;
        rdf:subject agency:甘肃省医疗保障局 ; rdf:predicate kg:administers ;
        rdf:object program:基本医疗保险 ;
        prov:wasDerivedFrom sentence:000_01d39a0b178f4c28-0-0 ;    # the sentence
        kg:startOffset 40 ; kg:endOffset 63 ;                       # the words in it
        prov:wasAttributedTo extractor:administers.agency_before .  # the rule

so ``?st rdf:subject ?s ; prov:wasDerivedFrom/rdf:value ?text`` gives the sentence
behind any fact. Observations (qb:Observation) are facts themselves: their
prov:wasDerivedFrom, offsets and extractor hang on the observation node, also in the
provenance graph.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import DCMITYPE, DCTERMS, PROV, RDF, RDFS, SDO, XSD
from rdflib.term import Node

from kg.graph.namespaces import ARTICLE, EXTRACTOR, KG, KGGRAPH, PAGE, SENTENCE, STMT
from kg.graph.store import DATASET_DEFAULT_GRAPH_ID, Quad
from kg.types import Article, Page, Provenance

#: The graph holding the statement reifications and observation sources.
PROVENANCE_GRAPH = KGGRAPH.provenance
#: The default graph: entities, relations, observations.
DEFAULT_GRAPH = DATASET_DEFAULT_GRAPH_ID

# Terms of the per-statement loops, looked up once: an attribute of an rdflib
# DefinedNamespace is checked against its members on every access (a third of the
# graph stage's time before).
_TYPE, _VALUE, _STATEMENT = RDF.type, RDF.value, RDF.Statement
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED, _ATTRIBUTED, _AGENT = PROV.wasDerivedFrom, PROV.wasAttributedTo, PROV.SoftwareAgent
_LABEL, _PART_OF = RDFS.label, DCTERMS.isPartOf
_START, _END, _SENTENCE = KG.startOffset, KG.endOffset, KG.Sentence

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH_DAY = re.compile(r"^--\d{2}-\d{2}$")


def date_literal(value: str | None) -> Literal | None:
    """An ISO date-ish string as the XSD literal it is: 2024-03-31 → xsd:date,
    2024-03 → xsd:gYearMonth, 2024 → xsd:gYear, --06-04 → xsd:gMonthDay."""
    if not value:
        return None
    for pattern, datatype in ((_ISO_DATE, XSD.date), (_YEAR_MONTH, XSD.gYearMonth),
                              (_YEAR, XSD.gYear), (_MONTH_DAY, XSD.gMonthDay)):
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return Literal(value)


def zh(text: str) -> Literal:
    """A Chinese-language literal."""
    return Literal(text, lang="zh")


def doc_key(doc: str) -> str:
    """The page file name without its suffix (000_01d39a0b178f4c28)."""
    return doc.rsplit(".", 1)[0] if "." in doc else doc


def page_iri(doc: str) -> URIRef:
    return PAGE[doc_key(doc)]


def article_iri(doc: str, index: int) -> URIRef:
    """An article's IRI, also the name of its graph: article:000_01d39a0b178f4c28-0."""
    return ARTICLE[f"{doc_key(doc)}-{index}"]


def sentence_iri(doc: str, article: int, sentence: int | None) -> URIRef:
    """sentence:<page>-<article>-<n>; the headline is <page>-<article>-t."""
    tail = "t" if sentence is None or sentence < 0 else str(sentence)
    return SENTENCE[f"{doc_key(doc)}-{article}-{tail}"]


@lru_cache(maxsize=1 << 16)
def offset(value: int) -> Literal:
    """An offset as an xsd:integer literal (the same few thousand recur on every page)."""
    return Literal(value)


@lru_cache(maxsize=1 << 16)
def iri_safe(name: str) -> str:
    """A name as an IRI path segment: letters and digits of any script stay as they are
    (甘肃省医疗保障局 reads as itself), everything else is percent-encoded (UTF-8), so
    distinct names give distinct segments and the same name always the same one."""
    out = []
    for ch in unicodedata.normalize("NFC", name):
        if ch.isascii():
            keep = ch.isalnum() or ch in "-._~"
        else:
            keep = unicodedata.category(ch)[0] in "LN"
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


@lru_cache(maxsize=4096)
def extractor_iri(name: str) -> URIRef:
    return EXTRACTOR[iri_safe(name or "unknown")]


class PageSources:
    """The article graphs of one page, and the source node of each provenance record."""

    def __init__(self, page: Page, source: str | None = None,
                 publisher: URIRef | None = None, date: str | None = None) -> None:
        self.page = page
        self.source = source or page.path or page.doc
        self.publisher = publisher
        self.date = date

    def source_of(self, prov: Provenance) -> URIRef:
        """The sentence (or headline) a provenance record points into; the article
        when the offsets fall in neither."""
        article = self.page.articles[prov.article]
        if prov.sentence >= 0:
            return sentence_iri(prov.doc, prov.article, prov.sentence)
        if article.title and article.title_start <= prov.start < max(article.title_end, 0):
            return sentence_iri(prov.doc, prov.article, None)
        for sentence in article.sentences:
            if sentence.start <= prov.start < sentence.end:
                return sentence_iri(prov.doc, prov.article, sentence.index)
        if article.title and prov.start < article.body_start:
            return sentence_iri(prov.doc, prov.article, None)
        return article_iri(prov.doc, prov.article)

    def article_quads(self, article: Article) -> Iterator[Quad]:
        """Metadata and sentences of one article, in its own named graph."""
        page = self.page
        a = article_iri(page.doc, article.index)
        p = page_iri(page.doc)
        yield a, RDF.type, SDO.NewsArticle, a
        yield a, RDF.type, PROV.Entity, a
        yield a, DCTERMS.isPartOf, p, a
        yield a, DCTERMS.identifier, Literal(article.id), a
        yield a, DCTERMS.source, Literal(self.source), a
        yield a, KG.kind, Literal(article.kind), a
        yield a, KG.startOffset, Literal(article.start), a
        yield a, KG.endOffset, Literal(article.end), a
        if article.title:
            yield a, DCTERMS.title, zh(article.title), a
            yield a, RDFS.label, zh(article.title), a
        else:
            yield a, RDFS.label, zh(article.body[:20]), a
        if article.subtitle:
            yield a, DCTERMS.alternative, zh(article.subtitle), a
        if self.publisher is not None:
            yield a, DCTERMS.publisher, self.publisher, a
        date = date_literal(self.date if self.date else article.dateline_date)
        if date is not None:
            yield a, DCTERMS.date, date, a
        # the page, repeated in each of its articles' graphs
        yield p, RDF.type, DCMITYPE.Text, a
        yield p, DCTERMS.identifier, Literal(page.doc), a
        yield p, DCTERMS.source, Literal(self.source), a
        if self.publisher is not None:
            yield p, DCTERMS.publisher, self.publisher, a
        if self.date:
            yield p, DCTERMS.date, date_literal(self.date), a
        if article.title:
            yield from self._sentence(a, sentence_iri(page.doc, article.index, None),
                                      article.title, article.title_start, article.title_end)
        for sentence in article.sentences:
            yield from self._sentence(a, sentence_iri(page.doc, article.index, sentence.index),
                                      sentence.text, sentence.start, sentence.end)

    @staticmethod
    def _sentence(a: URIRef, s: URIRef, text: str, start: int, end: int) -> Iterator[Quad]:
        yield s, _TYPE, _SENTENCE, a
        yield s, _VALUE, zh(text), a
        yield s, _PART_OF, a, a
        yield s, _START, offset(start), a
        yield s, _END, offset(end), a


def statement_iri(s: Node, p: Node, o: Node, prov: Provenance) -> URIRef:
    """A stable IRI for one (statement, source) pair: same input, same IRI."""
    key = "\x1f".join((s.n3(), p.n3(), o.n3(), prov.doc, str(prov.article),
                       str(prov.sentence), str(prov.start), str(prov.end), prov.extractor))
    return STMT[hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]]


def reify(s: Node, p: Node, o: Node, prov: Provenance, source: URIRef) -> Iterator[Quad]:
    """The provenance-graph description of statement (s, p, o) read at ``prov``."""
    st = statement_iri(s, p, o, prov)
    g = PROVENANCE_GRAPH
    yield st, _TYPE, _STATEMENT, g
    yield st, _SUBJECT, s, g
    yield st, _PREDICATE, p, g
    yield st, _OBJECT, o, g
    yield st, _DERIVED, source, g
    yield st, _START, offset(prov.start), g
    yield st, _END, offset(prov.end), g
    yield from attribution(st, prov.extractor)


def attribution(node: URIRef, extractor: str, graph: URIRef = PROVENANCE_GRAPH
                ) -> Iterator[Quad]:
    """``node prov:wasAttributedTo`` the extractor (a prov:SoftwareAgent)."""
    agent = extractor_iri(extractor)
    yield node, _ATTRIBUTED, agent, graph
    yield agent, _TYPE, _AGENT, graph
    yield agent, _LABEL, _agent_label(extractor), graph


@lru_cache(maxsize=4096)
def _agent_label(extractor: str) -> Literal:
    return Literal(extractor or "unknown")
