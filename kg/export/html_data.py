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

Everything is read in one pass per predicate straight from the Oxigraph store (no
rdflib term conversion): a 20,000-entity graph reads in about a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
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


class _Reader:
    """Predicate-at-a-time access to the store, as plain strings."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.rdf_type = ox.NamedNode(str(RDF.type))

    def pairs(
        self, predicate: URIRef
    ) -> Iterator[tuple[str, ox.NamedNode | ox.Literal]]:
        for q in self.store.quads_for_pattern(
            None, ox.NamedNode(str(predicate)), None, None
        ):
            if isinstance(q.subject, ox.NamedNode):
                yield q.subject.value, q.object

    def instances(self, cls: URIRef) -> Iterator[str]:
        """IRIs with rdf:type ``cls`` (in any graph)."""
        for q in self.store.quads_for_pattern(
            None, self.rdf_type, ox.NamedNode(str(cls)), None
        ):
            if isinstance(q.subject, ox.NamedNode):
                yield q.subject.value

    def first_literal(self, subject: str, predicate: ox.NamedNode) -> str | None:
        for q in self.store.quads_for_pattern(
            ox.NamedNode(subject), predicate, None, None
        ):
            if isinstance(q.object, ox.Literal):
                return q.object.value
        return None

    def iri_pairs(self, predicate: URIRef) -> Iterator[tuple[str, str]]:
        for s, o in self.pairs(predicate):
            if isinstance(o, ox.NamedNode):
                yield s, o.value

    def text_map(self, predicate: URIRef) -> dict[str, str]:
        """subject → the literal's text (the first, in sorted order, when several)."""
        out: dict[str, str] = {}
        for s, o in sorted(
            (s, o.value) for s, o in self.pairs(predicate) if isinstance(o, ox.Literal)
        ):
            out.setdefault(s, o)
        return out

    def iri_map(self, predicate: URIRef) -> dict[str, str]:
        out: dict[str, str] = {}
        for s, o in sorted(set(self.iri_pairs(predicate))):
            out.setdefault(s, o)
        return out


def read_view(dataset: Dataset | ox.Store | str | Path) -> GraphView:
    """The nodes, edges and source sentences of a kg graph (a dataset, an Oxigraph
    store, or a build folder / graph file)."""
    if isinstance(dataset, (str, Path)):
        from kg.graph.store import load_dataset

        dataset = load_dataset(dataset)
    r = _Reader(_ox_store(dataset))

    # -- nodes and their names ------------------------------------------------------
    typed: dict[str, str] = {}
    for cls, kind in reversed(TYPE_CLASSES):  # the first class listed wins
        for s in r.instances(cls):
            typed[s] = kind
    pref = r.text_map(SKOS.prefLabel)
    label = r.text_map(RDFS.label)
    aliases: dict[str, list[str]] = defaultdict(list)
    for s, o in sorted(
        (s, o.value) for s, o in r.pairs(SKOS.altLabel) if isinstance(o, ox.Literal)
    ):
        if s in typed and o not in aliases[s]:
            aliases[s].append(o)
    type_rank = {t: i for i, t in enumerate(TYPES)}

    def name(iri: str) -> str:
        return pref.get(iri) or label.get(iri) or iri.rsplit("/", 1)[-1]

    ordered = sorted(typed, key=lambda i: (type_rank[typed[i]], name(i), i))
    index = {iri: n for n, iri in enumerate(ordered)}
    nodes = [
        ViewNode(iri, typed[iri], name(iri), aliases.get(iri, [])) for iri in ordered
    ]

    # -- sentences ------------------------------------------------------------------
    sentence_text = {
        s: o.value for s, o in r.pairs(RDF.value) if isinstance(o, ox.Literal)
    }
    part_of = r.iri_map(DCTERMS.isPartOf)
    start_offset = ox.NamedNode(str(KG.startOffset))
    starts: dict[str, int] = {}  # looked up for the sentences that are used
    sentences: list[tuple[str, int]] = []
    sentence_index: dict[str, int] = {}

    def sentence(iri: str | None) -> int:
        if iri is None or iri not in sentence_text:
            return -1
        hit = sentence_index.get(iri)
        if hit is None:
            hit = sentence_index[iri] = len(sentences)
            sentences.append((sentence_text[iri], index.get(part_of.get(iri, ""), -1)))
        return hit

    def sentence_key(iri: str) -> tuple[int, int, str]:
        """Sources in reading order: article, then offset in the page."""
        start = starts.get(iri)
        if start is None:
            text = r.first_literal(iri, start_offset) if iri in sentence_text else None
            start = starts[iri] = (
                int(text) if text and text.lstrip("-").isdigit() else 0
            )
        return index.get(part_of.get(iri, ""), -1), start, iri

    # -- statements (provenance graph) ----------------------------------------------
    st_pred = dict(r.iri_pairs(RDF.predicate))
    st_subj = dict(r.iri_pairs(RDF.subject))
    st_obj = dict(r.iri_pairs(RDF.object))
    derived: dict[str, str] = {}
    for s, o in sorted(r.iri_pairs(PROV.wasDerivedFrom)):
        derived.setdefault(s, o)
    stated: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for st, p in st_pred.items():
        s, o, src = st_subj.get(st), st_obj.get(st), derived.get(st)
        if s is not None and o is not None and src is not None:
            stated[(s, p, o)].append(src)
    mention_sources: dict[str, set[str]] = defaultdict(set)
    mention_count: dict[str, int] = defaultdict(int)
    referenced = str(DCTERMS.isReferencedBy)
    for st, p in st_pred.items():
        if p == referenced and st in st_subj:
            mention_count[st_subj[st]] += 1
            if st in derived:
                mention_sources[st_subj[st]].add(derived[st])

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
        srcs = stated.get((s, p, stated_o or o), [])
        src = sentence(min(srcs, key=sentence_key)) if srcs else -1
        key = (a, b, rel, word)
        if key in seen:
            if src >= 0 and seen[key].sentence < 0:
                seen[key].sentence = src
            return
        seen[key] = ViewEdge(a, b, rel, word, src)
        edges.append(seen[key])

    simple = (
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
    )
    for p, rel, flip in simple:
        for s, o in sorted(set(r.iri_pairs(p))):
            edge(s, o, rel, str(p), flip=flip)
    for p, rel in (
        (SDO.containedInPlace, "contained_in"),
        (SDO.location, "located_in"),
        (DCTERMS.isPartOf, "part_of"),
    ):
        for s, o in sorted(set(r.iri_pairs(p))):
            if s in index and o in index:
                edge(s, o, rel, str(p))
    spatial = str(DCTERMS.spatial)
    for s, o in sorted(set(r.iri_pairs(DCTERMS.spatial))):
        edge(s, o, "dateline" if typed.get(s) == "article" else "applies_to", spatial)
    # posts: person → the post's organisation, labelled with the title
    post_in = r.iri_map(ORG.postIn)
    post_role = r.iri_map(ORG.role)
    posts: dict[str, list[str]] = defaultdict(list)
    holds = str(ORG.holds)
    for person, post in sorted(set(r.iri_pairs(ORG.holds))):
        organisation = post_in.get(post)
        title = pref.get(post_role.get(post, ""), "")
        post_name = (
            pref.get(post) or f"{name(organisation) if organisation else ''}{title}"
        )
        if post_name not in posts[person]:
            posts[person].append(post_name)
        if organisation is not None:
            edge(person, organisation, "holds", holds, title or None, stated_o=post)

    # -- facts, mentions and sources per node ---------------------------------------
    facts = _facts(r, typed, name, posts)
    article_entities: dict[int, int] = defaultdict(int)
    for e in edges:
        if e.rel == "mentions":
            article_entities[e.source] += 1
    figure_source = {s: o for s, o in derived.items() if typed.get(s) == "figure"}
    for n, node in enumerate(nodes):
        node.facts = facts.get(node.iri, [])
        if node.type == "figure":
            srcs = [figure_source[node.iri]] if node.iri in figure_source else []
            node.mentions = 1
        elif node.type == "article":
            srcs = []
            node.mentions = article_entities.get(n, 0)
        else:
            srcs = sorted(mention_sources.get(node.iri, ()), key=sentence_key)
            node.mentions = mention_count.get(node.iri, 0)
        node.source_count = len(srcs)
        node.sources = [i for i in (sentence(s) for s in srcs[:MAX_SOURCES]) if i >= 0]
    return GraphView(nodes, edges, sentences)


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
    r: _Reader, typed: dict[str, str], name, posts: dict[str, list[str]]
) -> dict[str, list[tuple[str, str]]]:
    """Type-specific facts per node, as (Chinese key, value) pairs."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(iri: str, key: str, value: str | None) -> None:
        if value and iri in typed:
            out[iri].append((key, value))

    kind = r.text_map(KG.kind)
    code = r.text_map(KG.divisionCode)
    level = r.text_map(KG.divisionLevel)
    location = r.iri_map(SDO.location)
    job = r.text_map(SDO.jobTitle)
    metric = r.text_map(KG.metric)
    value = r.text_map(KG.value)
    unit = r.iri_map(SDMX_ATTRIBUTE.unitMeasure)
    period_text = r.text_map(KG.periodText)
    ref_period = r.text_map(SDMX_DIMENSION.refPeriod)
    period_start = r.text_map(KG.periodStart)
    period_end = r.text_map(KG.periodEnd)
    qualifier = r.text_map(KG.qualifier)
    change = r.text_map(KG.change)
    approx = r.text_map(KG.approximation)
    area = r.iri_map(SDMX_DIMENSION.refArea)
    subject_iri = r.iri_map(DCTERMS.subject)
    subject_text = r.text_map(DCTERMS.subject)
    title = r.text_map(DCTERMS.title)
    subtitle = r.text_map(DCTERMS.alternative)
    date = r.text_map(DCTERMS.date)
    publisher = r.iri_map(DCTERMS.publisher)
    source = r.text_map(DCTERMS.source)
    pref = r.text_map(SKOS.prefLabel)
    for iri, t in sorted(typed.items()):
        if t == "person":
            for post in posts.get(iri, []):
                add(iri, "职务", post)
            add(iri, "职称", job.get(iri))
        elif t == "region":
            add(iri, "区划代码", code.get(iri))
            add(iri, "级别", LEVELS.get(level.get(iri, ""), level.get(iri)))
        elif t == "agency":
            add(iri, "类别", AGENCY_KINDS.get(kind.get(iri, ""), kind.get(iri)))
            add(iri, "所在地", name(location[iri]) if iri in location else None)
        elif t == "program":
            add(iri, "类别", PROGRAM_KINDS.get(kind.get(iri, ""), kind.get(iri)))
        elif t == "figure":
            add(iri, "指标", metric.get(iri))
            if iri in value:
                u = pref.get(unit.get(iri, ""), "")
                add(
                    iri,
                    "数值",
                    f"{_number(value[iri])}{'' if u in ('', '1') else ' ' + u}",
                )
            add(iri, "原文", name(iri))
            add(iri, "时间", period_text.get(iri))
            start, end = period_start.get(iri), period_end.get(iri)
            add(
                iri,
                "统计期",
                ref_period.get(iri)
                or (f"{start or '…'} 至 {end or '…'}" if start or end else None),
            )
            add(iri, "限定", qualifier.get(iri))
            add(iri, "变化", CHANGES.get(change.get(iri, ""), change.get(iri)))
            add(iri, "约数", approx.get(iri))
            add(iri, "地区", name(area[iri]) if iri in area else None)
            about = subject_iri.get(iri)
            add(iri, "关于", name(about) if about else subject_text.get(iri))
        elif t == "article":
            add(iri, "标题", title.get(iri))
            add(iri, "副标题", subtitle.get(iri))
            add(iri, "日期", date.get(iri))
            add(iri, "报纸", name(publisher[iri]) if iri in publisher else None)
            add(iri, "文件", source.get(iri))
            add(iri, "类型", ARTICLE_KINDS.get(kind.get(iri, ""), kind.get(iri)))
    return out
