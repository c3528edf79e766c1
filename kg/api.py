"""The Python API: ``extract`` a text, ``extract_file`` a page file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.ingest import build_page, read_page
from kg.report import Report, page_report
from kg.types import Page

if TYPE_CHECKING:
    from spacy.language import Language


@cache
def load_nlp(ner: bool = True) -> Language:
    """The entity pipeline, with or without the trained NER (``kg build --no-ner``: the
    rule components alone, about twice as fast); loaded once per process."""
    from kg.nlp.pipeline import build_nlp

    if ner:
        return _frozen(build_nlp())
    import spacy

    from kg.nlp.pipeline import CONFIG

    cfg = spacy.util.load_config(CONFIG)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    if "kg_ner" in nlp.pipe_names:
        nlp.remove_pipe("kg_ner")
    nlp.initialize()
    return _frozen(nlp)


def _frozen(nlp: Language) -> Language:
    """The pipeline with everything loaded so far (tables, automata, the model) moved
    out of the garbage collector's sight: each full collection walked them all, about
    0.1 s a time, a third of the resolve stage's time on seed pages."""
    import gc

    gc.collect()
    gc.freeze()
    return nlp


def _report(page: Page, nlp: Language | None = None) -> Report:
    """Run the entity pipeline over a cut page and fill its report."""
    from kg.nlp import process_page
    from kg.nlp.spans import release
    from kg.resolve import report_lists, resolve_page

    from kg.figures.agency_scope import agency_scopes
    from kg.figures.extract import extract_figures, figure_dict, figure_row

    from kg.relations import page_relations

    report = page_report(page)
    docs = process_page(page, nlp)
    report.entities = resolve_page(page, docs)
    lists = report_lists(page, report.entities)
    report.relation_objects = page_relations(docs)
    stated = {(r["s"], r["p"], r["o"]) for r in lists["relations"]}
    for rel in report.relation_objects:
        if (rel.s, rel.p, rel.o) not in stated:
            stated.add((rel.s, rel.p, rel.o))
            lists["relations"].append({"s": rel.s, "p": rel.p, "o": rel.o})
    for key, value in lists.items():
        setattr(report, key, value)
    figures = agency_scopes(extract_figures(page), docs)
    report.figure_objects = figures
    report.figures = [figure_dict(f) for f in figures]
    report.figure_rows = [figure_row(f, page.articles[f.provenance.article]) for f in figures]
    for item in docs:  # read for the last time: free them now, not at a full collection
        for doc in (item.title, item.body):
            if doc is not None:
                release(doc)
    return report


def extract(text: str, publication: str | None = None, region: str | None = None,
            date: str | None = None, doc: str = "<text>") -> Report:
    """Extract a report from the text of one page.

    publication, region and date override what the page's own words suggest
    (for texts without a masthead): e.g. ``extract(t, publication="甘肃日报")``.
    """
    page = build_page(text.replace("\r\n", "\n").replace("\r", "\n"), doc,
                      publication=publication, region=region, pub_date=date)
    return _report(page)


def extract_file(path: str | Path, publication: str | None = None,
                 region: str | None = None, date: str | None = None, ner: bool = True
                 ) -> Report:
    """Read one page file (UTF-8, GB18030/GBK, with or without BOM) and extract it;
    ``ner=False`` leaves the trained NER out (the rule components only)."""
    page = read_page(path, publication, region, date)
    return _report(page, load_nlp(ner))
