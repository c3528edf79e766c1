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

Terms here are N-Triples text and quads N-Quads lines (``kg.graph.nt``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache

from rdflib import Literal
from rdflib.namespace import DCMITYPE, DCTERMS, PROV, RDF, RDFS, SDO, XSD

from kg.graph.namespaces import ARTICLE, EXTRACTOR, KG, KGGRAPH, PAGE, SENTENCE, STMT
from kg.graph.nt import Terms, integer, iri_safe, literal, quad, zh
from kg.types import Article, Page, Provenance

#: The graph holding the statement reifications and observation sources.
PROVENANCE_GRAPH = KGGRAPH.provenance
_PROV_GRAPH = f"<{PROVENANCE_GRAPH}>"

rdf, rdfs, provo, dcterms = Terms(RDF), Terms(RDFS), Terms(PROV), Terms(DCTERMS)
sdo, kg, dcmitype = Terms(SDO), Terms(KG), Terms(DCMITYPE)
_ARTICLE, _PAGE, _SENTENCE_NS = Terms(ARTICLE), Terms(PAGE), Terms(SENTENCE)
_STMT, _EXTRACTOR = Terms(STMT), Terms(EXTRACTOR)

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


@lru_cache(maxsize=4096)
def date_term(value: str | None) -> str | None:
    """``date_literal`` in N-Triples text."""
    term = date_literal(value)
    return term.n3() if term is not None else None


def doc_key(doc: str) -> str:
    """The page file name without its suffix (000_01d39a0b178f4c28)."""
    return doc.rsplit(".", 1)[0] if "." in doc else doc


@lru_cache(maxsize=1024)
def _doc(doc: str) -> str:
    """The page's key as an IRI segment (a file name may hold a space or a quote)."""
    return iri_safe(doc_key(doc))


def page_iri(doc: str) -> str:
    return _PAGE[_doc(doc)]


@lru_cache(maxsize=1 << 10)  # a page's articles: reused within the page only
def article_iri(doc: str, index: int) -> str:
    """An article's IRI, also the name of its graph: article:000_01d39a0b178f4c28-0."""
    return _ARTICLE[f"{_doc(doc)}-{index}"]


@lru_cache(maxsize=1 << 12)  # a page's sentences: reused within the page only
def sentence_iri(doc: str, article: int, sentence: int | None) -> str:
    """sentence:<page>-<article>-<n>; the headline is <page>-<article>-t."""
    tail = "t" if sentence is None or sentence < 0 else str(sentence)
    return _SENTENCE_NS[f"{_doc(doc)}-{article}-{tail}"]


def observation_key(prov: Provenance) -> str:
    """The IRI segment of an observation: page, article and offsets of its words."""
    return f"{_doc(prov.doc)}-{prov.article}-{prov.start}-{prov.end}"


class PageSources:
    """The article graphs of one page, and the source node of each provenance record."""

    def __init__(self, page: Page, source: str | None = None,
                 publisher: str | None = None, date: str | None = None) -> None:
        self.page = page
        self.source = source or page.path or page.doc
        self.publisher = publisher
        self.date = date

    def source_of(self, prov: Provenance) -> str:
        """The sentence (or headline) a provenance record points into; the article
        when the offsets fall in neither."""
        if prov.sentence >= 0:
            return sentence_iri(prov.doc, prov.article, prov.sentence)
        article = self.page.articles[prov.article]
        if article.title and article.title_start <= prov.start < max(article.title_end, 0):
            return sentence_iri(prov.doc, prov.article, None)
        for sentence in article.sentences:
            if sentence.start <= prov.start < sentence.end:
                return sentence_iri(prov.doc, prov.article, sentence.index)
        if article.title and prov.start < article.body_start:
            return sentence_iri(prov.doc, prov.article, None)
        return article_iri(prov.doc, prov.article)

    def article_quads(self, article: Article) -> Iterator[str]:
        """Metadata and sentences of one article, in its own named graph."""
        page = self.page
        a = article_iri(page.doc, article.index)
        p = page_iri(page.doc)
        yield quad(a, rdf.type, sdo.NewsArticle, a)
        yield quad(a, rdf.type, provo.Entity, a)
        yield quad(a, dcterms.isPartOf, p, a)
        yield quad(a, dcterms.identifier, literal(article.id), a)
        yield quad(a, dcterms.source, literal(self.source), a)
        yield quad(a, kg.kind, literal(article.kind), a)
        yield quad(a, kg.startOffset, integer(article.start), a)
        yield quad(a, kg.endOffset, integer(article.end), a)
        if article.title:
            yield quad(a, dcterms.title, zh(article.title), a)
            yield quad(a, rdfs.label, zh(article.title), a)
        else:
            yield quad(a, rdfs.label, zh(article.body[:20]), a)
        if article.subtitle:
            yield quad(a, dcterms.alternative, zh(article.subtitle), a)
        if self.publisher is not None:
            yield quad(a, dcterms.publisher, self.publisher, a)
        date = date_term(self.date if self.date else article.dateline_date)
        if date is not None:
            yield quad(a, dcterms.date, date, a)
        # the page, repeated in each of its articles' graphs
        yield quad(p, rdf.type, dcmitype.Text, a)
        yield quad(p, dcterms.identifier, literal(page.doc), a)
        yield quad(p, dcterms.source, literal(self.source), a)
        if self.publisher is not None:
            yield quad(p, dcterms.publisher, self.publisher, a)
        if self.date:
            yield quad(p, dcterms.date, date_term(self.date), a)
        if article.title:
            yield from _sentence(a, sentence_iri(page.doc, article.index, None),
                                 article.title, article.title_start, article.title_end)
        for sentence in article.sentences:
            yield from _sentence(a, sentence_iri(page.doc, article.index, sentence.index),
                                 sentence.text, sentence.start, sentence.end)


def _sentence(a: str, s: str, text: str, start: int, end: int) -> Iterator[str]:
    yield f"{s} {rdf.type} {kg.Sentence} {a} .\n"
    yield f"{s} {rdf.value} {zh(text)} {a} .\n"
    yield f"{s} {dcterms.isPartOf} {a} {a} .\n"
    yield f"{s} {kg.startOffset} {integer(start)} {a} .\n"
    yield f"{s} {kg.endOffset} {integer(end)} {a} .\n"


def statement_iri(s: str, p: str, o: str, prov: Provenance) -> str:
    """A stable IRI for one (statement, source) pair: same input, same IRI."""
    key = "\x1f".join((s, p, o, prov.doc, str(prov.article), str(prov.sentence),
                       str(prov.start), str(prov.end), prov.extractor))
    return _STMT[hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]]


def reify(s: str, p: str, o: str, prov: Provenance, source: str) -> list[str]:
    """The provenance-graph description of statement (s, p, o) read at ``prov``."""
    st = statement_iri(s, p, o, prov)
    g = _PROV_GRAPH
    return [f"{st} {rdf.type} {rdf.Statement} {g} .\n",
            f"{st} {rdf.subject} {s} {g} .\n",
            f"{st} {rdf.predicate} {p} {g} .\n",
            f"{st} {rdf.object} {o} {g} .\n",
            f"{st} {provo.wasDerivedFrom} {source} {g} .\n",
            f"{st} {kg.startOffset} {integer(prov.start)} {g} .\n",
            f"{st} {kg.endOffset} {integer(prov.end)} {g} .\n",
            *attribution(st, prov.extractor)]


def attribution(node: str, extractor: str) -> tuple[str, ...]:
    """``node prov:wasAttributedTo`` the extractor (a prov:SoftwareAgent)."""
    agent, described = _agent(extractor)
    return (f"{node} {provo.wasAttributedTo} {agent} {_PROV_GRAPH} .\n", *described)


@lru_cache(maxsize=4096)
def _agent(extractor: str) -> tuple[str, tuple[str, str]]:
    """An extractor's IRI and the two quads that describe it."""
    agent = _EXTRACTOR[iri_safe(extractor or "unknown")]
    return agent, (quad(agent, rdf.type, provo.SoftwareAgent, _PROV_GRAPH),
                   quad(agent, rdfs.label, literal(extractor or "unknown"), _PROV_GRAPH))


__all__ = ["PROVENANCE_GRAPH", "PageSources", "article_iri", "attribution", "date_literal",
           "date_term", "doc_key", "iri_safe", "observation_key", "page_iri", "reify",
           "sentence_iri", "statement_iri"]
