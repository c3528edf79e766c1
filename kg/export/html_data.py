"""What the HTML view shows, read from the RDF graph (the one source of truth).

``read_view(dataset)`` turns a kg dataset (``kg.graph``) into plain lists: one ``ViewNode``
per person, agency, region, program, event, figure (qb:Observation) and article, one
``ViewEdge`` per relation between two of them, and the source sentences they point to.

- type: from rdf:type (schema:Person, org:Organization, schema:AdministrativeArea,
  kg:Program, schema:Event, qb:Observation, schema:NewsArticle);
- name: skos:prefLabel (rdfs:label for figures and articles); aliases: skos:altLabel;
- mentions: how many times the text mentions the entity (its ``dcterms:isReferencedBy``
  statements in the provenance graph, one per mention); an article counts the entities
  it mentions, a figure its one reading;
- sources: the sentences (rdf:value) those statements were derived from, with their
  article (dcterms:isPartOf);
- facts: posts (org:holds → the post's name), division codes and levels, agency and
  program kinds, figure values with their units and periods, article metadata;
- edges: the relations of the default graph, each with the sentence it was read from
  when the provenance graph records one. ``person org:holds post`` becomes an edge from
  the person to the post's organisation labelled with the title (主席).

Bounded by the view, not the store: the nodes are chosen first (every node when there
are at most ``MAX_NODES``; else ``select_nodes``: the most mentioned entities, then the
articles and figures linked to them, ranked by SPARQL aggregates that Oxigraph runs),
then everything about them is read with bound lookups straight from the Oxigraph store
(no rdflib term conversion): each node's own quads, the rdf:Statements whose
rdf:subject it is, and their source sentences (at most ``MAX_SOURCES`` kept per node).
``GraphView.left_out`` counts the nodes a partial view leaves out.

The whole graph reads every statement about each node, as the page always showed it. A
partial view reads at most ``STATEMENT_BUDGET`` statements per node (the first in store
order), so time and memory follow the view, not the corpus (a popular entity has a
statement per mention in every article): its mention count is the selection's SPARQL
count, its shown sources are chosen among its first ``MAX_SOURCES`` mention sources
read (details and texts are read for those only), and a node with more statements than
the budget counts its mentions as its source sentences (at most one sentence per
mention). An edge whose statements all lie beyond its subject's budget is looked up
from its object (``_Reader.first_sources``): it carries a sentence whenever the whole
view's edge does, though not always the same one.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SDO, SKOS

from kg.graph.namespaces import KG, SDMX_ATTRIBUTE, SDMX_DIMENSION

#: Node types in display order, with their Chinese names (legend, filter, panel).
TYPES: dict[str, str] = {
    "person": "人物",
    "agency": "机构",
    "region": "地区",
    "program": "项目政策",
    "event": "活动",
    "figure": "数据",
    "article": "文章",
}
#: rdf:type → node type (the first match in this order wins).
TYPE_CLASSES: tuple[tuple[URIRef, str], ...] = (
    (QB.Observation, "figure"),
    (SDO.NewsArticle, "article"),
    (SDO.Person, "person"),
    (SDO.Country, "region"),
    (SDO.AdministrativeArea, "region"),
    (KG.Program, "program"),
    (SDO.Event, "event"),
    (ORG.Organization, "agency"),
)
#: Relation keys → the Chinese word shown on the edge.
RELATIONS: dict[str, str] = {
    "mentions": "提及",
    "holds": "任职",
    "member_of": "成员",
    "sub_organization_of": "隶属",
    "contained_in": "属于",
    "located_in": "位于",
    "part_of": "属于",
    "administers": "主管",
    "applies_to": "适用于",
    "dateline": "电头",
    "cooperates_with": "合作",
    "attended": "出席",
    "author": "作者",
    "publisher": "刊发",
    "ref_area": "地区",
    "about": "关于",
}
AGENCY_KINDS = {
    "government": "政府机关",
    "party": "党的组织",
    "legislature": "人大",
    "cppcc": "政协",
    "court_procuratorate": "法院检察院",
    "union_mass_org": "群团组织",
    "public_institution": "事业单位",
    "enterprise": "企业",
    "media": "媒体",
    "other": "其他",
}
PROGRAM_KINDS = {
    "insurance": "保险",
    "policy_document": "政策文件",
    "campaign_or_initiative": "行动倡议",
    "project": "项目",
    "other": "其他",
}
ARTICLE_KINDS = {"article": "文章", "caption": "图片说明", "continuation": "续文"}
LEVELS = {
    "country": "国家",
    "province": "省级",
    "prefecture": "地级",
    "county": "县级",
    "township": "乡级",
    "village": "村级",
    "other": "其他",
}
CHANGES = {"increase": "增加", "decrease": "减少"}
#: Source sentences kept per node (the panel says how many there are in all).
MAX_SOURCES = 5
#: Nodes the page carries at most (a 20,000-node page writes in seconds and stays
#: usable); a larger graph is shown in part, the page says how many nodes are left out.
MAX_NODES = 20000
#: Share of a partial view's places that go to the most mentioned entities first.
ENTITY_SHARE = 0.8
ENTITY_TYPES = ("person", "agency", "region", "program", "event")
#: The class that makes a node a figure or an article (for the SPARQL that picks them).
TYPE_CLASSES_BY_KIND = {"figure": QB.Observation, "article": SDO.NewsArticle}
#: Names, posts and sentences remembered while reading (each cache holds at most this).
_CACHE = 1 << 16


@dataclass(slots=True)
class ViewNode:
    iri: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    mentions: int = 0
    sources: list[int] = field(default_factory=list)  # indices into GraphView.sentences
    source_count: int = 0


@dataclass(slots=True)
class ViewEdge:
    source: int  # node indices
    target: int
    rel: str  # a key of RELATIONS
    label: str  # what the edge says (the relation's word, or the post title)
    sentence: int = -1  # index into GraphView.sentences, -1 when none is recorded


@dataclass(slots=True)
class GraphView:
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    sentences: list[tuple[str, int]]  # (text, article node index or -1)
    left_out: int = 0  # nodes of the graph not in the view (over MAX_NODES)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(TYPES, 0)
        for node in self.nodes:
            out[node.type] += 1
        return out


def _ox_store(dataset: Dataset | ox.Store) -> ox.Store:
    if isinstance(dataset, ox.Store):
        return dataset
    inner = getattr(dataset.store, "_inner", None)  # oxrdflib's OxigraphStore
    if not isinstance(inner, ox.Store):
        raise TypeError("kg.export.html reads kg datasets (kg.graph.store.new_dataset)")
    return inner


_RDF_TYPE = str(RDF.type)
_PREF = str(SKOS.prefLabel)
_LABEL = str(RDFS.label)
_ALT = str(SKOS.altLabel)
_REFERENCED = str(DCTERMS.isReferencedBy)
_DERIVED = str(PROV.wasDerivedFrom)
_HOLDS = str(ORG.holds)
_SPATIAL = str(DCTERMS.spatial)
_VALUE = str(RDF.value)
_START = str(KG.startOffset)
_PART_OF = str(DCTERMS.isPartOf)
_PREDICATE = str(RDF.predicate)
_OBJECT = str(RDF.object)
_POST_IN = str(ORG.postIn)
_SUBJECT = str(DCTERMS.subject)
_iri = lru_cache(maxsize=None)(str)
_FALSE = ox.Literal(
    "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
)
#: Subjects per SPARQL query when statements and texts are read in batches.
_CHUNK = 500
#: Each rdf:Statement about the subjects, with its source's article, offset and text.
_STATEMENTS = f"""SELECT ?s ?st ?p ?o ?src ?part ?start ?text WHERE {{
  VALUES ?s {{ $VALUES }}
  ?st <{RDF.subject}> ?s ; <{RDF.predicate}> ?p .
  OPTIONAL {{ ?st <{RDF.object}> ?o }}
  OPTIONAL {{ ?st <{PROV.wasDerivedFrom}> ?src .
    OPTIONAL {{ ?src <{DCTERMS.isPartOf}> ?part }}
    OPTIONAL {{ ?src <{KG.startOffset}> ?start }}
    OPTIONAL {{ ?src <{RDF.value}> ?text }} }}
}}"""  # rdflib namespace terms as plain strings, once
#: The same, for given rdf:Statements (a partial view reads a budget of each node's).
#: (Two plain joins: an OPTIONAL per statement costs Oxigraph about twice as much.)
_STATED = (
    f"SELECT ?st ?p ?src WHERE {{ VALUES ?st {{ $VALUES }} "
    f"?st <{RDF.predicate}> ?p ; <{PROV.wasDerivedFrom}> ?src }}",
    f"SELECT ?st ?o WHERE {{ VALUES ?st {{ $VALUES }} ?st <{RDF.object}> ?o }}",
)
#: What a source says: its article, its offset, whether it has a text.
_SOURCES = f"""SELECT ?src ?part ?start ?text WHERE {{
  VALUES ?src {{ $VALUES }}
  OPTIONAL {{ ?src <{DCTERMS.isPartOf}> ?part }}
  OPTIONAL {{ ?src <{KG.startOffset}> ?start }}
  BIND(EXISTS {{ ?src <{RDF.value}> ?t }} AS ?text)
}}"""
#: The statements whose object each given node is, up to ``OBJECT_BUDGET`` a node (an
#: article or a post has a few dozen; a region may have thousands), with their subject,
#: predicate and a source: what ``_Reader.first_sources`` matches edges against.
_OBJECT_STATEMENTS = f"""SELECT ?s ?p ?o ?st ?src WHERE {{ VALUES ?o {{ $VALUES }}
  LATERAL {{ SELECT ?o ?st WHERE {{ ?st <{RDF.object}> ?o }} LIMIT $LIMIT }}
  ?st <{RDF.subject}> ?s ; <{RDF.predicate}> ?p ; <{PROV.wasDerivedFrom}> ?src }}"""
#: A source of each given statement (s, p, o), looked up one by one from its object
#: (LATERAL: stop at the first; a plain join took 9x longer on a 10^4-article store).
_FIRST_SOURCE = f"""SELECT ?s ?p ?o ?src WHERE {{ VALUES (?s ?p ?o) {{ $VALUES }}
  LATERAL {{ SELECT ?s ?p ?o ?src WHERE {{ ?st <{RDF.object}> ?o .
    ?st <{RDF.subject}> ?s . ?st <{RDF.predicate}> ?p .
    ?st <{PROV.wasDerivedFrom}> ?src }} LIMIT 1 }} }}"""
#: Statements read per object when edges' sources are matched in bulk.
OBJECT_BUDGET = 400
#: Statements per SPARQL query when given statements are read in batches.
_STATED_CHUNK = 2000
#: rdf:Statements read per node of a partial view (store order): enough to choose its
#: ``MAX_SOURCES`` shown sources from, so the read follows the view, not the corpus.
STATEMENT_BUDGET = 8 * MAX_SOURCES
_ROLE = str(ORG.role)
#: Edges read as they are: (predicate, relation, drawn from object to subject).
_SIMPLE_EDGES: tuple[tuple[str, str, bool], ...] = tuple(
    (str(p), rel, flip)
    for p, rel, flip in (
        (ORG.memberOf, "member_of", False),
        (ORG.subOrganizationOf, "sub_organization_of", False),
        (KG.administers, "administers", False),
        (KG.cooperatesWith, "cooperates_with", False),
        (SDO.attendee, "attended", True),
        (DCTERMS.creator, "author", False),
        (DCTERMS.publisher, "publisher", True),
        (SDMX_DIMENSION.refArea, "ref_area", False),
        (DCTERMS.subject, "about", False),
        (DCTERMS.isReferencedBy, "mentions", True),
        (SDO.containedInPlace, "contained_in", False),
        (SDO.location, "located_in", False),
        (DCTERMS.isPartOf, "part_of", False),
    )
)
_EDGE_PREDICATES = frozenset(p for p, _, _ in _SIMPLE_EDGES) | {_SPATIAL}


def _kind(types: Iterable[str]) -> str | None:
    """The node type of an IRI with these rdf:types (the first in TYPE_CLASSES)."""
    have = set(types)
    for cls, kind in TYPE_CLASSES:
        if str(cls) in have:
            return kind
    return None


class _Props:
    """What one IRI says (its quads as subject, in any graph), as plain strings."""

    __slots__ = ("values",)

    def __init__(self, values: dict[str, list[ox.NamedNode | ox.Literal]]) -> None:
        self.values = values

    def text(self, predicate: str) -> str | None:
        """The literal's text (the first in sorted order when several)."""
        found = [
            o.value for o in self.values.get(predicate, ()) if isinstance(o, ox.Literal)
        ]
        return min(found) if found else None

    def iri(self, predicate: str) -> str | None:
        found = [
            o.value
            for o in self.values.get(predicate, ())
            if isinstance(o, ox.NamedNode)
        ]
        return min(found) if found else None

    def texts(self, predicate: str) -> list[str]:
        return sorted(
            {
                o.value
                for o in self.values.get(predicate, ())
                if isinstance(o, ox.Literal)
            }
        )

    def iris(self, predicate: str) -> list[str]:
        return sorted(
            {
                o.value
                for o in self.values.get(predicate, ())
                if isinstance(o, ox.NamedNode)
            }
        )


class _Reader:
    """Bound lookups in the store, as plain strings; what is looked up again (names,
    sentences, posts) is cached up to ``_CACHE`` entries, so memory stays bounded."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.rdf_type = ox.NamedNode(_RDF_TYPE)
        self.rdf_subject = ox.NamedNode(str(RDF.subject))
        self.name = lru_cache(maxsize=_CACHE)(self._name)
        self.pref = lru_cache(maxsize=_CACHE)(self._pref)
        self.post = lru_cache(maxsize=_CACHE)(self._post)
        self.sentence = lru_cache(maxsize=_CACHE)(self._sentence)
        self._sources: dict[str, tuple[bool, str | None, int]] = {}

    def instances(self, cls: URIRef) -> Iterator[str]:
        """IRIs with rdf:type ``cls`` (in any graph)."""
        for q in self.store.quads_for_pattern(
            None, self.rdf_type, ox.NamedNode(str(cls)), None
        ):
            if isinstance(q.subject, ox.NamedNode):
                yield q.subject.value

    def kind(self, iri: str) -> str | None:
        return _kind(
            q.object.value
            for q in self.store.quads_for_pattern(
                ox.NamedNode(iri), self.rdf_type, None, None
            )
        )

    def props(self, iri: str, nodes: dict[str, str] | None = None) -> _Props:
        """Every predicate and object of ``iri``; of its dcterms:isReferencedBy
        (possibly thousands of articles) only those in ``nodes``."""
        values: dict[str, list[ox.NamedNode | ox.Literal]] = defaultdict(list)
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            p, o = q.predicate.value, q.object
            if p == _REFERENCED and nodes is not None and o.value not in nodes:
                continue
            if isinstance(o, ox.NamedNode | ox.Literal):
                values[p].append(o)
        return _Props(values)

    def _values(self, iri: str, predicate: str) -> _Props:
        return _Props(
            {
                predicate: [
                    q.object
                    for q in self.store.quads_for_pattern(
                        ox.NamedNode(iri), ox.NamedNode(predicate), None, None
                    )
                ]
            }
        )

    def _pref(self, iri: str) -> str | None:
        return self._values(iri, _PREF).text(_PREF)

    def _name(self, iri: str) -> str:
        return (
            self.pref(iri)
            or self._values(iri, _LABEL).text(_LABEL)
            or iri.rsplit("/", 1)[-1]
        )

    def _post(self, post: str) -> tuple[str | None, str, str | None]:
        """(the post's organisation, its title, its own name) of an org:Post."""
        p = self.props(post)
        role = p.iri(_ROLE)
        return p.iri(_POST_IN), (self.pref(role) if role else None) or "", p.text(_PREF)

    def _sentence(self, iri: str) -> tuple[str | None, str | None, int]:
        """(text, the article it is part of, its start offset) of a source."""
        text = start = None
        parts = []
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            p, o = q.predicate.value, q.object
            if isinstance(o, ox.Literal):
                if p == _VALUE:
                    text = o.value
                elif p == _START and start is None:
                    start = o.value
            elif isinstance(o, ox.NamedNode) and p == _PART_OF:
                parts.append(o.value)
        offset = (
            int(start)
            if text is not None and start and start.lstrip("-").isdigit()
            else 0
        )
        return text, (min(parts) if parts else None), offset

    def source(self, iri: str) -> tuple[bool, str | None, int]:
        """(whether it has a text, the article it is part of, its start offset) of a
        source: from the last statement rows read, else looked up."""
        hit = self._sources.get(iri)
        if hit is None:
            text, part, start = self.sentence(iri)
            hit = (text is not None, part, start)
        return hit

    def _keep_source(self, src, part, start, text) -> None:
        """Remember what a statement row says of its source (for ``source``)."""
        if src.value not in self._sources:
            has = text is not None and text != _FALSE
            offset = start.value if isinstance(start, ox.Literal) else ""
            self._sources[src.value] = (
                has,
                part.value if isinstance(part, ox.NamedNode) else None,
                int(offset) if has and offset.lstrip("-").isdigit() else 0,
            )

    def _collect(
        self,
        rows: Iterable[tuple],
        found: dict[str, tuple[str, str, list[str], list[str]]],
    ) -> None:
        """Group (subject, statement, predicate, object, source, part, start, text)
        rows by statement into ``found``."""
        for s, st, p, o, src, part, start, text in rows:
            if not isinstance(st, ox.NamedNode) or not isinstance(p, ox.NamedNode):
                continue
            hit = found.get(st.value)
            if hit is None:
                hit = found[st.value] = (s.value, p.value, [], [])
            if isinstance(o, ox.NamedNode):
                hit[2].append(o.value)
            if isinstance(src, ox.NamedNode):
                hit[3].append(src.value)
                self._keep_source(src, part, start, text)

    @staticmethod
    def _by_subject(
        chunk: list[str], found: dict[str, tuple[str, str, list[str], list[str]]]
    ) -> dict[str, list[tuple[str, str | None, str | None]]]:
        by_subject: dict[str, list[tuple[str, str | None, str | None]]] = {
            s: [] for s in chunk
        }
        for s, p, objects, sources in found.values():
            by_subject[s].append(
                (p, max(objects) if objects else None, min(sources, default=None))
            )
        return by_subject

    def statements(
        self, subjects: list[str]
    ) -> Iterator[tuple[str, list[tuple[str, str | None, str | None]]]]:
        """(subject, [(predicate, IRI object, source)]) for the rdf:Statements whose
        rdf:subject each of ``subjects`` is: one SPARQL query per ``_CHUNK`` subjects
        (Oxigraph joins them under one snapshot; a lookup per statement costs ~0.1 ms
        on disk). What the rows say of the sources is kept for ``source``."""
        for k in range(0, len(subjects), _CHUNK):
            chunk = subjects[k : k + _CHUNK]
            found: dict[str, tuple[str, str, list[str], list[str]]] = {}
            if len(self._sources) > _CACHE:
                self._sources.clear()
            query = _STATEMENTS.replace("$VALUES", " ".join(f"<{s}>" for s in chunk))
            self._collect(
                self.store.query(query, use_default_graph_as_union=True), found
            )
            yield from self._by_subject(chunk, found).items()

    def some_statements(
        self, subjects: list[str], budget: int
    ) -> Iterator[list[tuple[str, list[tuple[str, str | None, str | None]], bool]]]:
        """As ``statements``, in chunks of ``_CHUNK`` subjects, but at most ``budget``
        statements per subject (the first in store order, kept in that order), and
        whether that was all of them: a bounded scan per subject for the statement
        IRIs, then SPARQL queries per ``_STATED_CHUNK`` statements for their
        predicate, object and source (statements with no source are left out: they
        show nothing). Nothing is read of the sources: ``prefetch`` those that are
        used."""
        for k in range(0, len(subjects), _CHUNK):
            chunk = subjects[k : k + _CHUNK]
            whole: dict[str, bool] = {}
            about: dict[str, str] = {}  # statement → subject, in store order
            for s in chunk:
                n = 0
                for q in self.store.quads_for_pattern(
                    None, self.rdf_subject, ox.NamedNode(s), None
                ):
                    if n == budget:
                        break
                    if isinstance(q.subject, ox.NamedNode):
                        if about.setdefault(q.subject.value, s) == s:
                            n += 1
                else:
                    whole[s] = True
                whole.setdefault(s, False)
            said: dict[str, tuple[list[str], list[str], list[str]]] = {}
            wanted = list(about)
            for j in range(0, len(wanted), _STATED_CHUNK):
                values = " ".join(f"<{st}>" for st in wanted[j : j + _STATED_CHUNK])
                stated, objects = (q.replace("$VALUES", values) for q in _STATED)
                for st, p, src in self.store.query(
                    stated, use_default_graph_as_union=True
                ):
                    if isinstance(p, ox.NamedNode) and isinstance(src, ox.NamedNode):
                        hit = said.setdefault(st.value, ([], [], []))
                        hit[0].append(p.value)
                        hit[2].append(src.value)
                for st, o in self.store.query(objects, use_default_graph_as_union=True):
                    hit = said.get(st.value)
                    if hit is not None and isinstance(o, ox.NamedNode):
                        hit[1].append(o.value)
            by_subject: dict[str, list[tuple[str, str | None, str | None]]] = {
                s: [] for s in chunk
            }
            for st, s in about.items():
                hit = said.get(st)
                if hit is not None:
                    by_subject[s].append(
                        (
                            min(hit[0]),
                            max(hit[1]) if hit[1] else None,
                            min(hit[2], default=None),
                        )
                    )
            yield [(s, by_subject[s], whole[s]) for s in chunk]

    def first_sources(
        self, edges: Iterable[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], str]:
        """A source sentence of each statement (s, p, o) that has one: in bulk from
        the statements of each edge's object (up to ``OBJECT_BUDGET`` of them), then
        one by one for the edges of objects that have more. Predicates the provenance
        graph never states (a figure's area, an article's publisher) are not looked up
        at all."""
        edges = list(edges)
        stated = {
            p
            for p in {p for _, p, _ in edges}
            if self.store.query(
                f"ASK {{ ?st <{RDF.predicate}> <{p}> }}",
                use_default_graph_as_union=True,
            )
        }
        todo = [e for e in edges if e[1] in stated]
        found: dict[tuple[str, str, str], str] = {}
        wanted = set(todo)
        objects = sorted({o for _, _, o in todo})
        read: dict[str, set[str]] = defaultdict(set)  # object → its statements read
        for k in range(0, len(objects), _CHUNK):
            values = " ".join(f"<{o}>" for o in objects[k : k + _CHUNK])
            query = _OBJECT_STATEMENTS.replace("$VALUES", values)
            for s, p, o, st, src in self.store.query(
                query.replace("$LIMIT", str(OBJECT_BUDGET)),
                use_default_graph_as_union=True,
            ):
                read[o.value].add(st.value)
                key = (s.value, p.value, o.value)
                if key in wanted and isinstance(src, ox.NamedNode):
                    found.setdefault(key, src.value)
        todo = [  # edges of objects past the budget: maybe stated further on
            e for e in todo if e not in found and len(read[e[2]]) >= OBJECT_BUDGET
        ]
        for k in range(0, len(todo), _CHUNK):
            values = " ".join(f"(<{s}> <{p}> <{o}>)" for s, p, o in todo[k : k + _CHUNK])
            query = _FIRST_SOURCE.replace("$VALUES", values)
            for s, p, o, src in self.store.query(query, use_default_graph_as_union=True):
                if isinstance(src, ox.NamedNode):
                    found[(s.value, p.value, o.value)] = src.value
        return found

    def prefetch(self, sources: Iterable[str]) -> None:
        """Read what ``source`` says of each of ``sources`` (article, offset, whether
        it has a text) in one SPARQL query per ``_STATED_CHUNK``."""
        todo = sorted({s for s in sources if s not in self._sources})
        if len(self._sources) + len(todo) > _CACHE:
            self._sources.clear()
        for j in range(0, len(todo), _STATED_CHUNK):
            query = _SOURCES.replace(
                "$VALUES", " ".join(f"<{s}>" for s in todo[j : j + _STATED_CHUNK])
            )
            for src, part, start, text in self.store.query(
                query, use_default_graph_as_union=True
            ):
                self._keep_source(src, part, start, text)

    def mention_counts(self, subjects: list[str]) -> dict[str, int]:
        """How many dcterms:isReferencedBy statements each of ``subjects`` has (a
        SPARQL aggregate per ``_CHUNK``; subjects with none are left out)."""
        out: dict[str, int] = {}
        for k in range(0, len(subjects), _CHUNK):
            values = " ".join(f"<{s}>" for s in subjects[k : k + _CHUNK])
            out.update(
                self.rows(
                    f"SELECT ?e (COUNT(?st) AS ?n) WHERE {{ VALUES ?e {{ {values} }} "
                    f"?st <{RDF.subject}> ?e ; <{RDF.predicate}> "
                    f"<{DCTERMS.isReferencedBy}> }} GROUP BY ?e"
                )
            )
        return out

    def texts(self, iris: list[str]) -> dict[str, str]:
        """The rdf:value of each of ``iris`` (one SPARQL query per ``_CHUNK``)."""
        out: dict[str, str] = {}
        for k in range(0, len(iris), _CHUNK):
            values = " ".join(f"<{s}>" for s in iris[k : k + _CHUNK])
            for row in self.store.query(
                f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s <{_VALUE}> ?t }}",
                use_default_graph_as_union=True,
            ):
                if isinstance(row[1], ox.Literal):
                    out[row[0].value] = row[1].value
        return out

    def rows(self, query: str) -> Iterator[tuple[str, int]]:
        """(IRI, integer) rows of a two-column SELECT, run by Oxigraph over the union
        of the graphs."""
        for row in self.store.query(query, use_default_graph_as_union=True):
            iri, n = row[0], row[1]
            if isinstance(iri, ox.NamedNode):
                yield iri.value, int(n.value) if n is not None else 0


def read_view(
    dataset: Dataset | ox.Store | str | Path, max_nodes: int = MAX_NODES
) -> GraphView:
    """The nodes, edges and source sentences of a kg graph (a dataset, an Oxigraph
    store, or a build folder / graph file): every node when there are at most
    ``max_nodes``, else the ``max_nodes`` chosen by ``select_nodes`` (the view's
    ``left_out`` says how many others there are)."""
    if isinstance(dataset, (str, Path)):
        from kg.graph.store import load_dataset

        dataset = load_dataset(dataset)
    r = _Reader(_ox_store(dataset))
    typed = _all_nodes(r, max_nodes)
    if typed is None:
        typed, total, counts = _select(r, max_nodes)
        return _read(r, typed, total - len(typed), counts)
    return _read(r, typed, 0)


def select_nodes(
    dataset: Dataset | ox.Store, max_nodes: int = MAX_NODES
) -> tuple[dict[str, str], int]:
    """(IRI → node type of at most ``max_nodes`` nodes, how many nodes there are)."""
    r = _Reader(_ox_store(dataset))
    typed = _all_nodes(r, max_nodes)
    if typed is not None:
        return typed, len(typed)
    typed, total, _ = _select(r, max_nodes)
    return typed, total


def _all_nodes(r: _Reader, limit: int) -> dict[str, str] | None:
    """Every node with its type, or None as soon as there are more than ``limit``."""
    typed: dict[str, str] = {}
    for cls, kind in reversed(TYPE_CLASSES):  # the first class listed wins
        for s in r.instances(cls):
            typed[s] = kind
            if len(typed) > limit:
                return None
    return typed


def _values(pairs: Iterable[tuple[str, int]]) -> str:
    return " ".join(f"(<{iri}> {n})" for iri, n in pairs)


def _select(r: _Reader, limit: int) -> tuple[dict[str, str], int, dict[str, int]]:
    """The ``limit`` most informative nodes, how many nodes there are in all, and the
    mention counts the ranking found (of the most mentioned entities).

    Entities (persons, agencies, regions, programs, events) with the most
    dcterms:isReferencedBy statements first, up to ``ENTITY_SHARE`` of the places;
    then the articles and figures linked to them (articles mentioning them, figures
    about them or their area; each scored by the mentions of the chosen entities it is
    linked to), half the rest each; then further entities in their order; then any
    node. Counting and ranking are SPARQL aggregates run by Oxigraph: Python holds
    only the chosen nodes."""
    classes = " ".join(f"<{c}>" for c, _ in TYPE_CLASSES)
    total = next(
        r.rows(
            "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { "
            f"?s a ?c VALUES ?c {{ {classes} }} FILTER(isIRI(?s)) "
            "BIND(<urn:kg:nodes> AS ?x) } GROUP BY ?x"
        ),
        ("", 0),
    )[1]
    chosen: dict[str, str] = {}
    ranked = [
        (e, n, kind)
        for e, n in r.rows(
            "SELECT ?e (COUNT(?st) AS ?n) WHERE { "
            f"?st <{RDF.predicate}> <{DCTERMS.isReferencedBy}> ; <{RDF.subject}> ?e "
            f"}} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT {limit}"
        )
        if (kind := r.kind(e)) in ENTITY_TYPES
    ]
    counts = {e: n for e, n, _ in ranked}
    first = ranked[: max(1, int(limit * ENTITY_SHARE))]
    for e, _, kind in first:
        chosen[e] = kind
    if first:
        weights = _values((e, n) for e, n, _ in first)
        linked = (
            # LATERAL: lookups per entity (a plain join took 3-16x longer on disk)
            (
                "article",
                "LATERAL { SELECT ?e ?x WHERE { "
                f"?e <{DCTERMS.isReferencedBy}> ?x }} }}",
            ),
            (
                "figure",
                "LATERAL { SELECT ?e ?x WHERE { "
                f"{{ ?x <{SDMX_DIMENSION.refArea}> ?e }} "
                f"UNION {{ ?x <{DCTERMS.subject}> ?e }} }} }}",
            ),
        )
        for k, (kind, pattern) in enumerate(linked):
            room = limit - len(chosen)
            share = room if k == len(linked) - 1 else (room + 1) // 2
            if share <= 0:
                break
            for x, _ in r.rows(
                f"SELECT ?x (SUM(?m) AS ?n) WHERE {{ VALUES (?e ?m) {{ {weights} }} "
                f"{pattern} . ?x a <{TYPE_CLASSES_BY_KIND[kind]}> }} "
                f"GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT {share}"
            ):
                if x not in chosen and r.kind(x) == kind:
                    chosen[x] = kind
    for e, _, kind in ranked[len(first) :]:
        if len(chosen) >= limit:
            break
        chosen.setdefault(e, kind)
    if len(chosen) < limit:  # any other node, in type order
        for t in TYPES:
            for cls, kind in TYPE_CLASSES:
                if kind != t:
                    continue
                for s in r.instances(cls):
                    if len(chosen) >= limit:
                        return chosen, total, counts
                    if s not in chosen and r.kind(s) == t:
                        chosen[s] = t
    return chosen, total, counts


def _read(
    r: _Reader,
    typed: dict[str, str],
    left_out: int,
    counts: dict[str, int] | None = None,
) -> GraphView:
    """The view of the nodes ``typed``: everything is read by bound lookups from
    these nodes, so time and memory follow the view, not the store.

    The whole graph (``counts`` None) reads every statement about each node. A
    partial view reads at most ``STATEMENT_BUDGET`` of each node's statements: its
    mention count comes from ``counts`` (the selection's aggregate; a SPARQL count
    for entities it did not rank), its shown sources are the first of the
    statements read, an edge's sentence is found among them or else looked up from its
    object, and a node whose statements exceed the budget counts its mentions as its
    sources (one sentence per mention at most)."""
    props = {iri: r.props(iri, typed) for iri in typed}
    type_rank = {t: i for i, t in enumerate(TYPES)}

    def name(iri: str) -> str:
        p = props.get(iri)
        if p is None:
            return r.name(iri)
        return p.text(_PREF) or p.text(_LABEL) or iri.rsplit("/", 1)[-1]

    ordered = sorted(typed, key=lambda i: (type_rank[typed[i]], name(i), i))
    index = {iri: n for n, iri in enumerate(ordered)}
    nodes = [
        ViewNode(iri, typed[iri], name(iri), props[iri].texts(_ALT)) for iri in ordered
    ]

    # -- relations between the nodes, per predicate ----------------------------------
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s, p in props.items():
        for predicate, objects in p.values.items():
            if predicate in _EDGE_PREDICATES:
                for o in objects:
                    if isinstance(o, ox.NamedNode) and o.value in index:
                        pairs[predicate].add((s, o.value))
            elif predicate == _HOLDS:
                for o in objects:
                    if isinstance(o, ox.NamedNode):
                        pairs[_HOLDS].add((s, o.value))
    wanted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for predicate, found in pairs.items():
        for s, o in found:
            wanted[s].add((predicate, o))

    def sentence_key(iri: str) -> tuple[int, int, str]:
        """Sources in reading order: article, then offset in the page."""
        _, part, start = r.source(iri)
        return index.get(part or "", -1), start, iri

    # -- statements about each node (provenance graph) ---------------------------------
    stated: dict[tuple[str, str, str], str] = {}  # the first source of each edge
    mention_count: dict[str, int] = {}
    mention_sources: dict[str, tuple[int, list[str]]] = {}
    kept: dict[str, tuple[bool, str | None, int]] = {}  # sources that are shown
    limit = None if counts is None else MAX_SOURCES  # sources chosen from

    def read() -> (
        Iterator[list[tuple[str, list[tuple[str, str | None, str | None]], bool]]]
    ):
        if counts is None:
            for s, statements in r.statements(ordered):
                yield [(s, statements, True)]
            return
        for chunk in r.some_statements(ordered, STATEMENT_BUDGET):
            used: list[str] = []  # the sources the view may show
            for s, statements, _ in chunk:
                want = wanted.get(s, ())
                mentioned = dict.fromkeys(
                    src for p, _, src in statements if p == _REFERENCED and src
                )
                used += list(mentioned)[:MAX_SOURCES]
                used += [
                    src for p, o, src in statements if o and src and (p, o) in want
                ]
            r.prefetch(used)
            yield chunk

    if counts is not None:
        entities = [i for i in ordered if typed[i] in ENTITY_TYPES]
        counts = {
            **r.mention_counts([e for e in entities if e not in counts]),
            **counts,
        }
    read_whole: dict[str, bool] = {}
    for chunk in read():
        for s, statements, whole in chunk:
            read_whole[s] = whole
            want = wanted.get(s, ())
            count = 0
            sources: dict[str, None] = {}  # in the order read
            for predicate, obj, src in statements:
                if predicate == _REFERENCED:
                    count += 1
                    if src is not None:
                        sources[src] = None
                if obj is not None and src is not None and (predicate, obj) in want:
                    key = (s, predicate, obj)
                    best = stated.get(key)
                    if best is None or sentence_key(src) < sentence_key(best):
                        stated[key] = src
                        kept[src] = r.source(src)
            first = heapq.nsmallest(
                MAX_SOURCES, list(sources)[:limit], key=sentence_key
            )
            if counts is not None and s in counts:
                count = counts[s]
            mention_count[s] = count
            mention_sources[s] = (
                len(sources) if whole else max(count, len(sources)),
                first,
            )
            for src in first:
                kept[src] = r.source(src)

    if counts is not None:  # edges stated beyond their subject's budget
        found = r.first_sources(
            (s, p, o)
            for s, want in wanted.items()
            if not read_whole.get(s, True)
            for p, o in sorted(want)
            if (s, p, o) not in stated
        )
        r.prefetch(found.values())
        for key, src in found.items():
            stated[key] = src
            kept[src] = r.source(src)

    shown: list[str] = []  # sentence IRIs, in the order the page numbers them
    sentence_index: dict[str, int] = {}

    def sentence(iri: str | None) -> int:
        if iri is None:
            return -1
        has_text, _, _ = kept[iri] if iri in kept else r.source(iri)
        if not has_text:
            return -1
        hit = sentence_index.get(iri)
        if hit is None:
            hit = sentence_index[iri] = len(shown)
            shown.append(iri)
        return hit

    # -- edges ----------------------------------------------------------------------
    edges: list[ViewEdge] = []
    seen: dict[tuple[int, int, str, str], ViewEdge] = {}

    def edge(
        s: str,
        o: str,
        rel: str,
        p: str,
        text: str | None = None,
        flip: bool = False,
        stated_o: str | None = None,
    ) -> None:
        """An edge s → o (o → s when ``flip``), with the first sentence that states
        (s, p, stated_o or o)."""
        a, b = index.get(s), index.get(o)
        if a is None or b is None or a == b:
            return
        if flip:
            a, b = b, a
        word = text or RELATIONS[rel]
        src = sentence(stated.get((s, p, stated_o or o)))
        key = (a, b, rel, word)
        if key in seen:
            if src >= 0 and seen[key].sentence < 0:
                seen[key].sentence = src
            return
        seen[key] = ViewEdge(a, b, rel, word, src)
        edges.append(seen[key])

    for p, rel, flip in _SIMPLE_EDGES:
        for s, o in sorted(pairs.get(p, ())):
            edge(s, o, rel, p, flip=flip)
    for s, o in sorted(pairs.get(_SPATIAL, ())):
        edge(s, o, "dateline" if typed.get(s) == "article" else "applies_to", _SPATIAL)
    # posts: person → the post's organisation, labelled with the title
    posts: dict[str, list[str]] = defaultdict(list)
    for person, post in sorted(pairs.get(_HOLDS, ())):
        organisation, title, own = r.post(post)
        post_name = own or f"{name(organisation) if organisation else ''}{title}"
        if post_name not in posts[person]:
            posts[person].append(post_name)
        if organisation is not None:
            edge(person, organisation, "holds", _HOLDS, title or None, stated_o=post)

    # -- facts, mentions and sources per node ---------------------------------------
    article_entities: dict[int, int] = defaultdict(int)
    for e in edges:
        if e.rel == "mentions":
            article_entities[e.source] += 1
    for n, node in enumerate(nodes):
        p = props[node.iri]
        node.facts = _facts(r, node.type, node.iri, p, name, posts.get(node.iri, []))
        if node.type == "figure":
            src = p.iri(_DERIVED)
            srcs = [src] if src is not None else []
            node.source_count = len(srcs)
            node.mentions = 1
        elif node.type == "article":
            srcs = []
            node.source_count = 0
            node.mentions = article_entities.get(n, 0)
        else:
            node.source_count, srcs = mention_sources[node.iri]
            node.mentions = mention_count[node.iri]
        node.sources = [i for i in (sentence(s) for s in srcs[:MAX_SOURCES]) if i >= 0]
    texts = r.texts(shown)
    sentences = [
        (texts[iri], index.get((kept.get(iri) or r.source(iri))[1] or "", -1))
        for iri in shown
    ]
    return GraphView(nodes, edges, sentences, left_out)


def _number(text: str) -> str:
    """A normalised value for reading: 20445800 → 20,445,800; 99.12 stays."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    if value == value.to_integral_value() and abs(value) < Decimal(10) ** 18:
        return f"{int(value):,}"
    return format(value.normalize(), "f")


def _facts(
    r: _Reader, t: str, iri: str, p: _Props, name, posts: list[str]
) -> list[tuple[str, str]]:
    """Type-specific facts of one node, as (Chinese key, value) pairs."""
    out: list[tuple[str, str]] = []

    def add(key: str, value: str | None) -> None:
        if value:
            out.append((key, value))

    def text(predicate: URIRef) -> str | None:
        return p.text(_iri(predicate))

    def linked(predicate: URIRef) -> str | None:
        target = p.iri(_iri(predicate))
        return name(target) if target is not None else None

    kind = text(KG.kind) or ""
    if t == "person":
        for post in posts:
            add("职务", post)
        add("职称", text(SDO.jobTitle))
    elif t == "region":
        level = text(KG.divisionLevel)
        add("区划代码", text(KG.divisionCode))
        add("级别", LEVELS.get(level or "", level))
    elif t == "agency":
        add("类别", AGENCY_KINDS.get(kind, text(KG.kind)))
        add("所在地", linked(SDO.location))
    elif t == "program":
        add("类别", PROGRAM_KINDS.get(kind, text(KG.kind)))
    elif t == "figure":
        add("指标", text(KG.metric))
        value = text(KG.value)
        if value is not None:
            unit = p.iri(_iri(SDMX_ATTRIBUTE.unitMeasure))
            u = (r.pref(unit) if unit else None) or ""
            add("数值", f"{_number(value)}{'' if u in ('', '1') else ' ' + u}")
        add("原文", name(iri))
        add("时间", text(KG.periodText))
        start, end = text(KG.periodStart), text(KG.periodEnd)
        add(
            "统计期",
            text(SDMX_DIMENSION.refPeriod)
            or (f"{start or '…'} 至 {end or '…'}" if start or end else None),
        )
        add("限定", text(KG.qualifier))
        change = text(KG.change)
        add("变化", CHANGES.get(change or "", change))
        add("约数", text(KG.approximation))
        add("地区", linked(SDMX_DIMENSION.refArea))
        about = p.iri(_SUBJECT)
        add("关于", name(about) if about else text(DCTERMS.subject))
    elif t == "article":
        add("标题", text(DCTERMS.title))
        add("副标题", text(DCTERMS.alternative))
        add("日期", text(DCTERMS.date))
        add("报纸", linked(DCTERMS.publisher))
        add("文件", text(DCTERMS.source))
        add("类型", ARTICLE_KINDS.get(kind, text(KG.kind)))
    return out
