"""Extraction reports → one RDF graph: entities, relations, statistics, provenance.

``GraphBuilder.add_report`` turns one page's report into quads on an Oxigraph-backed
rdflib ``Dataset`` (``kg.graph.store``); reports of many files go into the same dataset,
and nodes merge by IRI:

==========  ===============================================  ============================
kind        IRI                                              key
==========  ===============================================  ============================
region      region:620000                                    GB/T 2260 code; a country by
            region:620100-兰州新区                            name; other places by their
                                                             parent's key + name
agency      agency:甘肃省医疗保障局                           canonical name
program     program:基本医疗保险                              canonical name
person      person:胡焯-620000                                name + province of the
                                                             person's first post's agency
                                                             (else the page's home
                                                             province): namesakes in
                                                             different provinces stay apart
post        post:甘肃省总工会-主席                            agency + title
event       event:西北地区工会工作协作机制第一次联席会议       name
==========  ===============================================  ============================

Quads are written as N-Quads lines from strings (``kg.graph.nt``: an rdflib term per
quad cost most of this stage), and Oxigraph loads them. Names, and page file names,
are made IRI-safe by ``iri_safe`` (letters and digits of any script kept, everything
else percent-encoded), so the same input always gives the same IRIs.

What goes where (see ``kg.graph.provenance``): entity descriptions, relations and
observations in the default graph; each article's metadata and sentences in the
article's named graph; one rdf:Statement per (statement, source sentence) in the
provenance graph, with offsets and the extractor (rule) that read it.

Relations come from the report (``relations``, SCHEMA.md's s/p/o), with their
provenance from ``relation_objects`` when the rule that stated them recorded it;
otherwise from the sentence where both ends are mentioned (extractor ``resolve.<p>``).
Reference data from the division table (the parents of a mentioned region up to the
country) is asserted without a source sentence: it was not read from the text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Literal
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SDO, SKOS

from kg.graph.namespaces import (
    AGENCY,
    EVENT,
    KG,
    MEMBERSHIP,
    OBS,
    PERSON,
    POST,
    PROGRAM,
    REGION,
    ROLE,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    UNIT,
)
from kg.graph.nt import Terms, integer, iri_safe, literal, quad, zh
from kg.graph.provenance import (
    PROVENANCE_GRAPH,
    PageSources,
    article_iri,
    attribution,
    date_term,
    observation_key,
    reify,
)
from kg.graph.store import new_dataset, quad_count, store_of, triple_count
from kg.types import Article, Page, Provenance

# The vocabulary as N-Triples text (kg.graph.nt), named like its Turtle prefixes.
rdf, rdfs, dcterms, org_ = Terms(RDF), Terms(RDFS), Terms(DCTERMS), Terms(ORG)
provo, qb, sdo, skos, kg = Terms(PROV), Terms(QB), Terms(SDO), Terms(SKOS), Terms(KG)
sdmx_attribute, sdmx_dimension = Terms(SDMX_ATTRIBUTE), Terms(SDMX_DIMENSION)
# Where kg's own nodes live: T_AGENCY[iri_safe(name)] is <…/agency/name>.
T_AGENCY, T_EVENT, T_MEMBERSHIP = Terms(AGENCY), Terms(EVENT), Terms(MEMBERSHIP)
T_OBS, T_PERSON, T_POST, T_PROGRAM = Terms(OBS), Terms(PERSON), Terms(POST), Terms(PROGRAM)
T_REGION, T_ROLE, T_UNIT = Terms(REGION), Terms(ROLE), Terms(UNIT)
_PROV_GRAPH = f"<{PROVENANCE_GRAPH}>"

#: schema.org class of an agency by its kind (all agencies are also org:Organization).
AGENCY_CLASSES = {
    "government": sdo.GovernmentOrganization,
    "legislature": sdo.GovernmentOrganization,
    "cppcc": sdo.GovernmentOrganization,
    "court_procuratorate": sdo.GovernmentOrganization,
    "media": sdo.NewsMediaOrganization,
    "enterprise": sdo.Corporation,
}
#: Levels that GB/T 2260 codes (a region at one of these levels has a division code).
CODED_LEVELS = ("province", "prefecture", "county")
#: Mentions that point at a place or body from where the text stands (我省, 全市, 本报):
#: kept as mentions, not as aliases (skos:altLabel) of the entity.
_DEICTIC = re.compile(r"^(?:我|本|全|该|此|各|两)(?:国|省|区|市|州|盟|县|旗|镇|乡|村|街道|报)$")
_QUOTES = "“”\"'「」『』《》〈〉"
#: Entity kinds a relation's subject and object can be, most likely first.
_ENDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "holds_post": (("PERSON",), ()),
    "member_of": (("PERSON",), ("AGENCY", "REGION")),
    "located_in": (("AGENCY", "REGION", "PROGRAM", "PERSON"), ("REGION",)),
    "part_of": (("REGION", "AGENCY", "PROGRAM"), ("REGION", "AGENCY", "PROGRAM")),
    "administers": (("AGENCY", "REGION"), ("PROGRAM",)),
    "applies_to": (("PROGRAM", "AGENCY"), ("REGION",)),
    "attended": (("PERSON", "AGENCY"), ("EVENT",)),
    "reported_by": (("ARTICLE",), ("PERSON",)),
    "cooperates_with": (("AGENCY", "REGION"), ("AGENCY", "REGION")),
}
_ANY = ("AGENCY", "REGION", "PROGRAM", "PERSON")


def _strip_quotes(text: str) -> str:
    return text.strip(_QUOTES + " ")


@dataclass(slots=True)
class RegionInfo:
    """What kg knows of a region name: its code, level and parent's name."""

    name: str
    code: str | None
    level: str | None
    parent: str | None


@dataclass(slots=True)
class BuildStats:
    """Counts of one graph build."""

    files: int = 0
    quads_added: int = 0
    relations: int = 0
    relations_skipped: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0


class GraphBuilder:
    """Adds reports to one dataset; nodes merge across articles and files by IRI."""

    def __init__(self, dataset: Dataset | None = None, store_path: str | Path | None = None
                 ) -> None:
        from kg.resources.regions import load_regions

        self.dataset = dataset if dataset is not None else new_dataset(store_path)
        self.regions = load_regions()
        self.stats = BuildStats()
        store_of(self.dataset).load(static_nquads(), ox.RdfFormat.N_QUADS)

    def page_nquads(self, report: Any, source: str | Path | None = None) -> bytes:
        """The quads of one report as N-Quads, each line once, without adding them (a
        build worker sends them to the process that owns the store)."""
        lines = _PageGraph(self, report, str(source) if source is not None else None).quads()
        return "".join(dict.fromkeys(lines)).encode("utf-8")

    def add_report(self, report: Any, source: str | Path | None = None) -> int:
        """Add one report (kg.report.Report with its page); returns the quads added."""
        started = time.perf_counter()
        data = self.page_nquads(report, source)
        store_of(self.dataset).load(data, ox.RdfFormat.N_QUADS)
        added = data.count(b"\n")
        self.stats.files += 1
        self.stats.quads_added += added
        self.stats.seconds += time.perf_counter() - started
        return added

    def triples(self) -> int:
        return triple_count(self.dataset)

    def quads(self) -> int:
        return quad_count(self.dataset)


def static_nquads() -> bytes:
    """Nodes every graph has: the figures data set, the unit scheme."""
    return "".join((
        quad(kg.Figures, rdf.type, qb.DataSet),
        quad(kg.Figures, qb.structure, kg.FigureStructure),
        quad(kg.Figures, rdfs.label, zh("统计数据")),
        quad(kg.Figures, rdfs.label, literal("figures") + "@en"),
        quad(kg.Units, rdf.type, skos.ConceptScheme),
        quad(kg.Units, skos.prefLabel, zh("计量单位")),
    )).encode("utf-8")


class _PageGraph:
    """The quads of one report."""

    def __init__(self, builder: GraphBuilder, report: Any, source: str | None) -> None:
        self.builder = builder
        self.report = report
        page: Page = report.page
        if page is None:
            raise ValueError(f"report of {report.doc} has no page (use kg.extract_file)")
        self.page = page
        self.doc = page.doc
        pub = page.publication
        self.year = int(pub.date[:4]) if pub.date and pub.date[:4].isdigit() else None
        self.home = pub.region
        self.entities: dict[str, dict[str, Any]] = {
            kind: {e.name: e for e in items} for kind, items in report.entities.items()
        }
        # mentions (aliases) → canonical names, per kind
        self.aliases: dict[str, dict[str, str]] = {}
        for kind, items in report.entities.items():
            index = self.aliases.setdefault(kind, {})
            for e in items:
                for m in e.mentions:
                    index.setdefault(_strip_quotes(m), e.name)
        self.out: list[str] = []  # N-Quads lines
        self.made: set[str] = set()
        self._region_info: dict[str, RegionInfo | None] = {}
        self.articles: dict[str, Article] = {}
        for article in page.articles:
            for label in (article.title, article.body[:20]):
                if label:
                    self.articles.setdefault(label, article)
        publisher = self.agency(pub.name) if pub.name else None
        self.sources = PageSources(page, source, publisher, pub.date)

    # -- output -------------------------------------------------------------------------

    def emit(self, s: str, p: str, o: str, g: str = "") -> None:
        """One quad (terms in N-Triples text; no graph: the default graph)."""
        self.out.append(quad(s, p, o, g))

    def assert_read(self, s: str, p: str, o: str, provs: Iterable[Provenance]) -> None:
        """Assert (s, p, o) and record each place it was read."""
        self.out.append(f"{s} {p} {o} .\n")
        for prov in provs:
            self.out.extend(reify(s, p, o, prov, self.sources.source_of(prov)))

    def quads(self) -> list[str]:
        """The page's quads as N-Quads lines (a line may come more than once)."""
        for article in self.page.articles:
            self.out.extend(self.sources.article_quads(article))
            if article.dateline_regions:
                a = article_iri(self.doc, article.index)
                region = self.region(article.dateline_regions[0])
                if region is not None:
                    self.emit(a, dcterms.spatial, region, a)
        for kind in ("REGION", "AGENCY", "PROGRAM", "PERSON"):
            for entity in self.report.entities.get(kind, []):
                self.entity(kind, entity)
        self.relations()
        self.figures()
        return self.out

    # -- regions ------------------------------------------------------------------------

    def region_info(self, name: str) -> RegionInfo | None:
        """Code, level and parent of a region name: the page's entity, else the table."""
        if name in self._region_info:
            return self._region_info[name]
        info = None
        entity = self.entities.get("REGION", {}).get(name)
        table = self.builder.regions
        if entity is not None:
            attrs = entity.attrs
            info = RegionInfo(name, attrs.get("code"), attrs.get("level"), attrs.get("parent"))
        if info is None or (info.code is None and info.level in CODED_LEVELS):
            rows = table.by_name(name, self.year) or table.by_name(name)
            if rows:
                home = self._home_prefix()
                row = next((r for r in rows if home and r.code and r.code.startswith(home)),
                           rows[0])
                parent = table.parent(row)
                found = RegionInfo(row.name, row.code, row.level,
                                   parent.name if parent is not None else None)
                if info is None:
                    info = found
                else:
                    info.code = found.code
        self._region_info[name] = info
        return info

    def _home_prefix(self) -> str | None:
        if not self.home:
            return None
        entity = self.entities.get("REGION", {}).get(self.home)
        code = entity.attrs.get("code") if entity is not None else None
        if code is None:
            rows = self.builder.regions.by_name(self.home)
            code = rows[0].code if rows else None
        return code[:2] if code else None

    def region_key(self, name: str, depth: int = 0) -> str:
        info = self.region_info(name)
        if info is not None and info.code:
            return info.code
        if info is not None and info.parent and info.level != "country" and depth < 8:
            return f"{self.region_key(info.parent, depth + 1)}-{iri_safe(name)}"
        return iri_safe(name)

    def region(self, name: str | None, depth: int = 0) -> str | None:
        """The region node for a name (described once per page, with its parents)."""
        if not name:
            return None
        iri = T_REGION[self.region_key(name)]
        if iri in self.made:
            return iri
        self.made.add(iri)
        info = self.region_info(name) or RegionInfo(name, None, None, None)
        self.emit(iri, rdf.type, sdo.AdministrativeArea)
        if info.level == "country":
            self.emit(iri, rdf.type, sdo.Country)
        self.emit(iri, skos.prefLabel, zh(name))
        if info.code:
            self.emit(iri, kg.divisionCode, literal(info.code))
        if info.level:
            self.emit(iri, kg.divisionLevel, literal(info.level))
        if info.parent and info.level != "country" and depth < 8:
            parent = self.region(info.parent, depth + 1)
            if parent is not None and parent != iri:
                self.emit(iri, sdo.containedInPlace, parent)
        return iri

    def province_key(self, name: str | None) -> str | None:
        """The key of the province (or country) a region lies in."""
        seen = 0
        info = self.region_info(name) if name else None
        while info is not None and seen < 8:
            if info.level == "country":
                return iri_safe(info.name)
            if info.code:
                return info.code[:2] + "0000"
            if not info.parent:
                return None
            info = self.region_info(info.parent)
            seen += 1
        return None

    # -- agencies, programs, persons, events --------------------------------------------

    def agency(self, name: str) -> str:
        iri = T_AGENCY[iri_safe(name)]
        if iri not in self.made:
            self.made.add(iri)
            entity = self.entities.get("AGENCY", {}).get(name)
            kind = entity.attrs.get("kind") if entity is not None else None
            self.emit(iri, rdf.type, org_.Organization)
            self.emit(iri, rdf.type, AGENCY_CLASSES.get(kind or "", sdo.Organization))
            self.emit(iri, skos.prefLabel, zh(name))
            if kind:
                self.emit(iri, kg.kind, literal(kind))
        return iri

    def program(self, name: str) -> str:
        iri = T_PROGRAM[iri_safe(name)]
        if iri not in self.made:
            self.made.add(iri)
            entity = self.entities.get("PROGRAM", {}).get(name)
            self.emit(iri, rdf.type, kg.Program)
            self.emit(iri, skos.prefLabel, zh(name))
            kind = entity.attrs.get("kind") if entity is not None else None
            if kind:
                self.emit(iri, kg.kind, literal(kind))
        return iri

    def org_region(self, org: str | None) -> str | None:
        """The region an organisation named in a post belongs to."""
        if not org:
            return None
        entity = self.entities.get("AGENCY", {}).get(org)
        if entity is not None and entity.attrs.get("region"):
            return entity.attrs["region"]
        if org in self.entities.get("REGION", {}) or self.builder.regions.by_name(org):
            return org
        return None

    def person_key(self, name: str) -> str:
        entity = self.entities.get("PERSON", {}).get(name)
        scope = None
        for post in entity.posts if entity is not None else ():
            scope = self.province_key(self.org_region(post.get("org")))
            if scope:
                break
        if scope is None:
            scope = self.province_key(self.home)
        return f"{iri_safe(name)}-{scope}" if scope else iri_safe(name)

    def person(self, name: str) -> str:
        iri = T_PERSON[self.person_key(name)]
        if iri not in self.made:
            self.made.add(iri)
            self.emit(iri, rdf.type, sdo.Person)
            self.emit(iri, skos.prefLabel, zh(name))
            entity = self.entities.get("PERSON", {}).get(name)
            for post in entity.posts if entity is not None else ():
                if not post.get("org") and post.get("title"):
                    self.emit(iri, sdo.jobTitle, zh(post["title"]))
        return iri

    def event(self, name: str) -> str:
        iri = T_EVENT[iri_safe(name)]
        if iri not in self.made:
            self.made.add(iri)
            self.emit(iri, rdf.type, sdo.Event)
            self.emit(iri, skos.prefLabel, zh(name))
        return iri

    def organisation(self, name: str) -> str:
        """An agency by name, or the region when the name is a place (国家主席 of 中国)."""
        if name in self.entities.get("AGENCY", {}):
            return self.agency(name)
        if name in self.entities.get("REGION", {}) or self.builder.regions.by_name(name):
            region = self.region(name)
            assert region is not None
            return region
        return self.agency(name)

    def node(self, kind: str, name: str) -> str | None:
        if kind == "REGION":
            return self.region(name)
        if kind == "AGENCY":
            return self.agency(name)
        if kind == "PROGRAM":
            return self.program(name)
        if kind == "PERSON":
            return self.person(name)
        if kind == "EVENT":
            return self.event(name)
        if kind == "ARTICLE":
            article = self.articles.get(name)
            return article_iri(self.doc, article.index) if article is not None else None
        return None

    # -- entities and their mentions ----------------------------------------------------

    def entity(self, kind: str, entity: Any) -> None:
        iri = self.node(kind, entity.name)
        if iri is None:
            return
        aliases = []
        for mention in entity.mentions:
            alias = _strip_quotes(mention)
            if alias and alias != entity.name and not _DEICTIC.match(alias) \
                    and alias not in aliases:
                aliases.append(alias)
        for alias in aliases:
            provs = [p for p in entity.provenance
                     if _strip_quotes(self.page.text[p.start:p.end]) == alias]
            self.assert_read(iri, skos.altLabel, zh(alias), provs[:1])
        for prov in entity.provenance:
            self.assert_read(iri, dcterms.isReferencedBy, article_iri(prov.doc, prov.article),
                             [prov])

    def find(self, kinds: tuple[str, ...], name: str) -> tuple[str, Any] | None:
        """The page's entity of one of ``kinds`` named (or mentioned as) ``name``."""
        bare = _strip_quotes(name)
        for kind in kinds:
            entity = self.entities.get(kind, {}).get(name)
            if entity is None:
                canonical = self.aliases.get(kind, {}).get(bare)
                entity = self.entities.get(kind, {}).get(canonical) if canonical else None
            if entity is not None:
                return kind, entity
        return None

    # -- relations ----------------------------------------------------------------------

    def relations(self) -> None:
        stated: dict[tuple[str, str, str], list[Provenance]] = {}
        for rel in getattr(self.report, "relation_objects", None) or []:
            stated.setdefault((rel.s, rel.p, rel.o), []).append(rel.provenance)
        keys = [(r["s"], r["p"], r["o"]) for r in self.report.relations
                if r.get("s") and r.get("p") and r.get("o")]
        keys += [k for k in stated if k not in keys]
        seen = set()
        for key in keys:
            if key in seen:
                continue
            seen.add(key)
            if self.relation(*key, stated.get(key, [])):
                self.builder.stats.relations += 1
            else:
                self.builder.stats.relations_skipped.append(
                    {"doc": self.doc, "s": key[0], "p": key[1], "o": key[2]})

    def _end(self, kinds: tuple[str, ...], name: str) -> tuple[str, str, Any] | None:
        """Resolve a relation end: an entity of the page, else a node of the first kind
        that can be made from a name alone."""
        hit = self.find(kinds or _ANY, name)
        if hit is not None:
            kind, entity = hit
            iri = self.node(kind, entity.name)
            return (kind, iri, entity) if iri is not None else None
        for kind in kinds:
            if kind == "REGION" and self.region_info(name) is None and len(kinds) > 1:
                continue  # not a known place: try the next kind
            iri = self.node(kind, name)
            if iri is not None:
                return kind, iri, None
        return None

    def relation(self, s: str, p: str, o: str, provs: list[Provenance]) -> bool:
        """Assert one report relation; False when an end cannot be resolved."""
        if p == "holds_post":
            return self.holds_post(s, o, provs)
        s_kinds, o_kinds = _ENDS.get(p, (_ANY, _ANY))
        s_end = self._end(s_kinds, s)
        o_end = self._end(o_kinds, o)
        if s_end is None or o_end is None:
            return False
        s_kind, s_iri, s_entity = s_end
        o_kind, o_iri, o_entity = o_end
        if not provs:
            provs = self._provenance(p, s_kind, s_entity, o_kind, o_entity, s, o)
        if p == "reported_by":
            self.emit(s_iri, dcterms.creator, o_iri, s_iri)  # article metadata
            for prov in provs:
                self.out.extend(reify(s_iri, dcterms.creator, o_iri, prov,
                                      self.sources.source_of(prov)))
            return True
        if p == "attended":  # schema:attendee runs from the event to the person
            self.assert_read(o_iri, sdo.attendee, s_iri, provs)
            return True
        self.assert_read(s_iri, _predicate(p, s_kind, o_kind), o_iri, provs)
        return True

    def holds_post(self, name: str, post: str, provs: list[Provenance]) -> bool:
        """person org:holds post; the post org:postIn the agency with org:role the title;
        and the org:Membership that says the same with the role (as Wikidata P39)."""
        title, _, org = post.partition("@")
        if not title or not org:
            return False
        hit = self.find(("PERSON",), name)
        entity = hit[1] if hit is not None else None
        person_name = entity.name if entity is not None else name
        person = self.person(person_name)
        organisation = self.organisation(org)
        role = T_ROLE[iri_safe(title)]
        post_key = f"{iri_safe(org)}-{iri_safe(title)}"
        post_iri = T_POST[post_key]
        if post_iri not in self.made:
            self.made.add(post_iri)
            self.emit(post_iri, rdf.type, org_.Post)
            self.emit(post_iri, skos.prefLabel, zh(f"{org}{title}"))
            self.emit(post_iri, org_.postIn, organisation)
            self.emit(post_iri, org_.role, role)
        if role not in self.made:
            self.made.add(role)
            self.emit(role, rdf.type, org_.Role)
            self.emit(role, skos.prefLabel, zh(title))
        membership = T_MEMBERSHIP[f"{self.person_key(person_name)}-{post_key}"]
        self.emit(membership, rdf.type, org_.Membership)
        self.emit(membership, org_.member, person)
        self.emit(membership, org_.organization, organisation)
        self.emit(membership, org_.role, role)
        if not provs and entity is not None:
            provs = self._post_provenance(entity, title, org)
        self.assert_read(person, org_.holds, post_iri, provs)
        return True

    # -- provenance of relations the report states without it ---------------------------

    def _sentence_text(self, prov: Provenance) -> str:
        article = self.page.articles[prov.article]
        if 0 <= prov.sentence < len(article.sentences):
            return article.sentences[prov.sentence].text
        return article.title or ""

    def _post_provenance(self, entity: Any, title: str, org: str) -> list[Provenance]:
        post = next((x for x in entity.posts
                     if x.get("title") == title and x.get("org") == org), {})
        words = [w for w in (post.get("org_mention"), title) if w]
        for prov in entity.provenance:
            if any(w in self._sentence_text(prov) for w in words):
                return [prov]
        for article in self.page.articles:  # a byline post: the byline itself
            for byline in article.bylines:
                if byline.name == entity.name and byline.role == title and byline.start >= 0:
                    return [self._byline_provenance(article, byline)]
        return entity.provenance[:1]

    def _byline_provenance(self, article: Article, byline: Any) -> Provenance:
        index = next((s.index for s in article.sentences
                      if s.start <= byline.start < s.end), -1)
        return Provenance(self.doc, article.index, index, byline.start, byline.end,
                          "ingest.byline")

    def _provenance(self, p: str, s_kind: str, s_entity: Any, o_kind: str, o_entity: Any,
                    s: str, o: str) -> list[Provenance]:
        """Where a relation without recorded provenance is stated: the first sentence
        mentioning both ends (offsets spanning both), else the subject's first mention
        in a sentence naming the object, else the subject's first mention."""
        rule = f"resolve.{p}"
        if p == "reported_by" and s_kind == "ARTICLE":
            article = self.articles.get(s)
            for byline in article.bylines if article is not None else ():
                if byline.name == o:
                    return [self._byline_provenance(article, byline)]
            if article is not None:
                return [Provenance(self.doc, article.index, -1, article.start,
                                   article.start, rule)]
            return []
        if s_entity is None and o_entity is None:
            return []
        if s_entity is None:
            first = o_entity.provenance[:1]
            return [_with_rule(first[0], rule)] if first else []
        if o_entity is not None:
            by_sentence = {(q.article, q.sentence): q for q in o_entity.provenance
                           if q.sentence >= 0}
            for prov in s_entity.provenance:
                q = by_sentence.get((prov.article, prov.sentence))
                if q is not None:
                    return [Provenance(prov.doc, prov.article, prov.sentence,
                                       min(prov.start, q.start), max(prov.end, q.end), rule)]
        names = {o, *(o_entity.mentions if o_entity is not None else ())}
        for prov in s_entity.provenance:
            if any(n and n in self._sentence_text(prov) for n in names):
                return [_with_rule(prov, rule)]
        first = s_entity.provenance[:1]
        return [_with_rule(first[0], rule)] if first else []

    # -- statistics ---------------------------------------------------------------------

    def figures(self) -> None:
        for figure in self.report.figure_objects:
            self.figure(figure)

    def figure(self, f: Any) -> None:
        prov: Provenance = f.provenance
        obs = T_OBS[observation_key(prov)]
        value = _decimal(f.value)
        if value is None:
            return
        self.emit(obs, rdf.type, qb.Observation)
        self.emit(obs, qb.dataSet, kg.Figures)
        self.emit(obs, rdfs.label, zh(f.text))
        self.emit(obs, kg.value, value)
        self.emit(obs, sdmx_attribute.unitMeasure, self.unit(f.unit))
        if f.metric:
            self.emit(obs, kg.metric, zh(f.metric))
        if f.scope:
            area = self.region(f.scope)
            if area is not None:
                self.emit(obs, sdmx_dimension.refArea, area)
        for predicate, text in ((sdmx_dimension.refPeriod, f.date),
                                (kg.periodStart, f.period_start),
                                (kg.periodEnd, f.period_end)):
            date = date_term(text)
            if date is not None:
                self.emit(obs, predicate, date)
        for predicate, text in ((kg.periodText, f.date_text), (kg.qualifier, f.qualifier),
                                (kg.approximation, f.approx)):
            if text:
                self.emit(obs, predicate, zh(text))
        if f.change:
            self.emit(obs, kg.change, literal(f.change))
        if f.about:
            hit = self.find(("PROGRAM",), f.about)
            if hit is not None:
                self.emit(obs, dcterms.subject, self.program(hit[1].name))
            else:
                self.emit(obs, dcterms.subject, zh(f.about))
        g = _PROV_GRAPH
        self.emit(obs, provo.wasDerivedFrom, self.sources.source_of(prov), g)
        self.emit(obs, kg.startOffset, integer(prov.start), g)
        self.emit(obs, kg.endOffset, integer(prov.end), g)
        self.out.extend(attribution(obs, prov.extractor))

    def unit(self, unit: str | None) -> str:
        """The unit concept; a figure without a unit is a pure number, unit 1."""
        label = unit or "1"
        iri = T_UNIT[iri_safe(label)]
        if iri not in self.made:
            self.made.add(iri)
            self.emit(iri, rdf.type, skos.Concept)
            self.emit(iri, skos.inScheme, kg.Units)
            self.emit(iri, skos.prefLabel, zh(label))
        return iri


def _with_rule(prov: Provenance, rule: str) -> Provenance:
    return Provenance(prov.doc, prov.article, prov.sentence, prov.start, prov.end, rule)


def _decimal(value: Any) -> str | None:
    """A figure's value as an xsd:decimal literal; None when it is not a finite number."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return Literal(number).n3()  # rdflib writes the decimal's lexical form


def _predicate(p: str, s_kind: str, o_kind: str) -> str:
    """The RDF property for a report predicate, given what its ends turned out to be."""
    if p == "located_in":
        return sdo.containedInPlace if s_kind == "REGION" else sdo.location
    if p == "part_of":
        if s_kind == "REGION" and o_kind == "REGION":
            return sdo.containedInPlace
        if s_kind == "AGENCY" and o_kind == "AGENCY":
            return org_.subOrganizationOf
        return dcterms.isPartOf
    return {
        "member_of": org_.memberOf,
        "administers": kg.administers,
        "applies_to": dcterms.spatial,
        "cooperates_with": kg.cooperatesWith,
    }.get(p, dcterms.relation)


def build_graph(reports: Iterable[Any], dataset: Dataset | None = None) -> GraphBuilder:
    """One graph from many reports (each with its page)."""
    builder = GraphBuilder(dataset)
    for report in reports:
        builder.add_report(report, report.page.path if report.page is not None else None)
    return builder


def build_files(paths: Iterable[str | Path], dataset: Dataset | None = None) -> GraphBuilder:
    """Extract each page file and build one graph of them all."""
    from kg.api import extract_file

    builder = GraphBuilder(dataset)
    for path in paths:
        builder.add_report(extract_file(path), path)
    return builder
