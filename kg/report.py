"""The per-document extraction report: the dict of ../shared/gold/SCHEMA.md.

Report fields hold the page's own characters (titles and first characters as printed,
line breaks removed), so they compare directly with what an analyst copies from a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.types import Article, Page

#: How many body characters identify an article that has no title.
FIRST_CHARS = 20


@dataclass(slots=True)
class Report:
    """What kg found in one document, list by list."""

    doc: str
    publication: dict[str, Any]
    articles: list[dict[str, Any]]
    persons: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    programs: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    page: Page | None = field(default=None, repr=False, compare=False)
    #: resolved entities by kind (REGION, AGENCY, PERSON, PROGRAM), with provenance
    entities: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    #: relations found by the rules of kg.relations, with provenance
    relation_objects: list[Any] = field(default_factory=list, repr=False, compare=False)
    #: the figures as objects (kg.figures.extract.Figure), with provenance
    figure_objects: list[Any] = field(default_factory=list, repr=False, compare=False)
    #: one row per figure with its article and sentence (for outputs/figures.csv)
    figure_rows: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The report as SCHEMA.md lays it out (JSON-ready)."""
        return {
            "doc": self.doc,
            "publication": self.publication,
            "articles": self.articles,
            "persons": self.persons,
            "agencies": self.agencies,
            "regions": self.regions,
            "programs": self.programs,
            "figures": self.figures,
            "relations": self.relations,
        }


def page_text(page: Page, start: int, end: int) -> str:
    """The page's original characters behind a span of clean text, line breaks removed."""
    return page.original_span(start, end).replace("\r", "").replace("\n", "")


def article_entry(page: Page, article: Article) -> dict[str, Any]:
    """One item of the report's ``articles`` list."""
    entry: dict[str, Any] = {
        "title": article.title,
        "first_chars": page_text(
            page, article.body_start, min(article.end, article.body_start + FIRST_CHARS)
        ),
        "kind": article.kind,
    }
    for key in ("subtitle", "column", "lead", "dateline_place", "dateline_date"):
        value = getattr(article, key)
        if value:
            entry[key] = value
    if article.dateline_regions:
        entry["dateline_regions"] = article.dateline_regions
    if article.bylines:
        entry["bylines"] = [{"name": b.name, "role": b.role} for b in article.bylines]
    return entry


def page_report(page: Page) -> Report:
    """The report of a page whose articles are cut (entities come in later stages)."""
    pub = page.publication
    return Report(
        doc=page.doc,
        publication={"name": pub.name, "region": pub.region, "date": pub.date},
        articles=[article_entry(page, a) for a in page.articles],
        page=page,
    )
