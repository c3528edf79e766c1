"""graph.html: what it shows (read from the RDF graph), that it is self-contained, and
that it works in a real browser with no network.

The browser tests run Debian's headless chromium through chromedriver
(``kg.export.html_browser``), with a new empty profile and every host name unresolvable;
they skip only when chromium is not installed (tests/browser.py). Screenshots go to
``outputs/graph.png`` (the seed graph's overview), ``outputs/graph_focus.png`` (one
agency's neighbourhood) and ``outputs/graph_escaped.png`` (a page whose article text is
HTML, shown as text).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from kg.build import build
from kg.export.html import payload, render, write_html
from kg.export.html_data import ENTITY_SHARE, ENTITY_TYPES, read_view
from kg.export.html_layout import DEFAULT_OVERVIEW
from kg.figures.extract import Figure
from kg.graph.build import GraphBuilder
from kg.graph.namespaces import KG
from kg.ingest import build_page
from kg.report import page_report
from kg.resolve import Entity
from kg.types import Provenance
from tests.browser import open_browser

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ROOT / "outputs"

SCRIPT_TITLE = "<script>window.__kgPwned=1</script>医保工作会议召开"
IMG = '<img src=x onerror="window.__kgPwned=2">'
HOSTILE_PAGE = f"""## {SCRIPT_TITLE}

本报兰州讯(记者 李永萍)<b>省医保局</b>局长王伟出席会议{IMG}并讲话。甘肃推进基本医疗保险工作,参保率达99.12%。
"""


# -- a hand-made graph whose article text is HTML ---------------------------------------


def _prov(page, text: str, extractor: str) -> Provenance:
    start = page.text.index(text)
    for article in page.articles:
        if article.title_start <= start < article.title_end:
            return Provenance(
                page.doc, article.index, -1, start, start + len(text), extractor
            )
        for sentence in article.sentences:
            if sentence.start <= start < sentence.end:
                return Provenance(
                    page.doc,
                    article.index,
                    sentence.index,
                    start,
                    start + len(text),
                    extractor,
                )
    raise AssertionError(f"{text} not in a sentence")


def _entity(page, label: str, name: str, mentions: list[str], **attrs) -> Entity:
    entity = Entity(label, name, list(mentions), dict(attrs))
    for mention in mentions:
        entity.provenance.append(_prov(page, mention, f"test.{label.lower()}"))
    return entity


def hostile_report():
    page = build_page(
        HOSTILE_PAGE,
        "hostile.txt",
        path="pages/hostile.txt",
        publication="甘肃日报",
        region="甘肃省",
        pub_date="2024-06-05",
    )
    report = page_report(page)
    person = _entity(page, "PERSON", "王伟", ["王伟"])
    person.posts.append(
        {"title": "局长", "org": "甘肃省医疗保障局", "org_mention": "省医保局"}
    )
    report.entities = {
        "REGION": [
            _entity(
                page,
                "REGION",
                "甘肃省",
                ["甘肃"],
                level="province",
                code="620000",
                parent="中华人民共和国",
            )
        ],
        "AGENCY": [
            _entity(
                page,
                "AGENCY",
                "甘肃省医疗保障局",
                ["<b>省医保局</b>"],
                kind="government",
                region="甘肃省",
            )
        ],
        "PERSON": [person],
        "PROGRAM": [
            _entity(page, "PROGRAM", "基本医疗保险", ["基本医疗保险"], kind="insurance")
        ],
    }
    report.relations = [
        {"s": "甘肃省医疗保障局", "p": "administers", "o": "基本医疗保险"},
        {"s": "甘肃省医疗保障局", "p": "located_in", "o": "甘肃省"},
        {"s": "王伟", "p": "holds_post", "o": "局长@甘肃省医疗保障局"},
        {"s": SCRIPT_TITLE, "p": "reported_by", "o": "李永萍"},
    ]
    start = page.text.index("参保率达99.12%")
    report.figure_objects = [
        Figure(
            text="参保率达99.12%",
            metric="参保率",
            metric_norm="参保率",
            value=99.12,
            unit="%",
            unit_kind="percent",
            qualifier="达",
            change=None,
            approx=None,
            date="2024-03-31",
            date_text="截至3月底",
            period_start=None,
            period_end=None,
            scope="甘肃省",
            about="基本医疗保险",
            provenance=Provenance(page.doc, 0, 1, start, start + 10, "figures.rules"),
        )
    ]
    return report


@pytest.fixture(scope="module")
def hostile_dataset():
    builder = GraphBuilder()
    builder.add_report(hostile_report())
    return builder.dataset


@pytest.fixture(scope="module")
def hostile_page(hostile_dataset, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "graph.html"
    write_html(hostile_dataset, path)
    return path


def _by_label(view, label: str):
    return next(n for n in view.nodes if n.label == label)


# -- what the view reads from the RDF graph -----------------------------------------------


def test_view_reads_types_names_facts_and_sources_from_the_graph(hostile_dataset):
    view = read_view(hostile_dataset)
    person = _by_label(view, "王伟")
    assert person.type == "person"
    assert ("职务", "甘肃省医疗保障局局长") in person.facts
    assert person.mentions == 1
    text, article = view.sentences[person.sources[0]]
    assert IMG in text and "王伟" in text
    assert (
        view.nodes[article].type == "article"
        and view.nodes[article].label == SCRIPT_TITLE
    )

    agency = _by_label(view, "甘肃省医疗保障局")
    assert agency.type == "agency" and agency.aliases == ["<b>省医保局</b>"]
    assert ("类别", "政府机关") in agency.facts and ("所在地", "甘肃省") in agency.facts
    region = _by_label(view, "甘肃省")
    assert region.type == "region" and ("区划代码", "620000") in region.facts
    figure = _by_label(view, "参保率达99.12%")
    assert figure.type == "figure"
    assert ("数值", "99.12 %") in figure.facts and ("指标", "参保率") in figure.facts
    assert figure.sources and "99.12%" in view.sentences[figure.sources[0]][0]
    assert _by_label(view, "基本医疗保险").type == "program"
    assert ("标题", SCRIPT_TITLE) in _by_label(view, SCRIPT_TITLE).facts

    index = {n.label: i for i, n in enumerate(view.nodes)}
    edges = {
        (view.nodes[e.source].label, e.label, view.nodes[e.target].label): e
        for e in view.edges
    }
    post = edges[("王伟", "局长", "甘肃省医疗保障局")]
    assert post.rel == "holds" and post.sentence >= 0
    assert ("甘肃省医疗保障局", "主管", "基本医疗保险") in edges
    assert ("甘肃省医疗保障局", "位于", "甘肃省") in edges
    assert ("参保率达99.12%", "地区", "甘肃省") in edges
    assert (SCRIPT_TITLE, "作者", "李永萍") in edges
    assert (SCRIPT_TITLE, "提及", "王伟") in edges
    assert all(e.source != e.target for e in view.edges)
    assert index  # every label names one node
    assert len(index) == len(view.nodes)


def test_page_is_self_contained_and_embeds_text_only_as_escaped_json(hostile_dataset):
    page = render(read_view(hostile_dataset))
    assert page.startswith("<!DOCTYPE html>")
    # guard, data, vis-network, app (core-js inside vis-network spells "<script>" in a string)
    assert len(re.findall(r"^<script\b", page, re.M)) == 4
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link\b", page)
    assert (
        "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page
    )
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in html.unescape(
        page
    )  # the attribute spells ' as &#39;
    # the hostile strings appear only inside the JSON block, with < > & escaped
    assert SCRIPT_TITLE not in page
    assert IMG not in page
    assert "<b>省医保局" not in page
    data = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S
    ).group(1)
    assert "<" not in data and ">" not in data
    labels = [n[1] for n in json.loads(data)["nodes"]]
    assert SCRIPT_TITLE in labels


def test_same_graph_same_page(hostile_dataset):
    view = read_view(hostile_dataset)
    assert render(view) == render(read_view(hostile_dataset))


def test_large_graph_overview_layout_and_write_time(tmp_path):
    from kg.bench_html import synthetic_store

    store, _ = synthetic_store(3000)
    stats = write_html(store, tmp_path / "graph.html")
    assert stats.nodes == 3000 and stats.overview == DEFAULT_OVERVIEW
    assert stats.seconds < 10
    data = payload(read_view(store))
    assert len(data["overview"]) == DEFAULT_OVERVIEW
    types = {data["nodes"][i][0] for i in data["overview"]}
    assert len(types) == len(
        {n[0] for n in data["nodes"]}
    )  # every type in the overview
    xy = [(n[3], n[4]) for n in data["nodes"]]
    assert len(set(xy)) > 0.95 * len(xy)  # positions precomputed, barely any stacked
    top = [xy[i] for i in data["overview"]]
    assert len(set(top)) == len(top)


# -- more nodes than the page carries ---------------------------------------------------


@pytest.fixture(scope="module")
def store_3000():
    from kg.bench_html import synthetic_store

    store, _ = synthetic_store(3000)
    return store


def test_view_over_the_cap_keeps_the_most_mentioned_entities(store_3000):
    full = read_view(store_3000)
    view = read_view(store_3000, max_nodes=500)
    assert len(full.nodes) == 3000 and full.left_out == 0
    assert len(view.nodes) == 500 and view.left_out == 2500
    # the entities' share of the places goes to the most mentioned, in order
    entities = sorted(
        (n for n in full.nodes if n.type in ENTITY_TYPES),
        key=lambda n: (-n.mentions, n.iri),
    )
    first = int(500 * ENTITY_SHARE)
    kept = {n.iri: n for n in view.nodes}
    assert {n.iri for n in entities[:first]} <= set(kept)
    threshold = entities[first - 1].mentions
    assert all(n.iri in kept for n in entities if n.mentions > threshold)
    # then the articles and figures linked to them
    counts = view.counts()
    assert counts["article"] > 0 and counts["figure"] > 0
    # a node of a partial view reads as it does in the whole view
    whole = {n.iri: n for n in full.nodes}
    for node in view.nodes:
        other = whole[node.iri]
        assert (node.type, node.label, node.aliases, node.facts) == (
            other.type,
            other.label,
            other.aliases,
            other.facts,
        )
        if node.type != "article":  # an article counts the entities in the view
            assert (node.mentions, node.source_count) == (
                other.mentions,
                other.source_count,
            )
    # edges only between nodes of the view, each one in the whole view too
    edges = {(e.source, e.target, e.rel, e.label) for e in view.edges}
    whole_index = {n.iri: i for i, n in enumerate(full.nodes)}
    whole_edges = {(e.source, e.target, e.rel, e.label) for e in full.edges}
    assert edges and all(
        (
            whole_index[view.nodes[a].iri],
            whole_index[view.nodes[b].iri],
            rel,
            word,
        )
        in whole_edges
        for a, b, rel, word in edges
    )


def test_capped_page_says_how_many_nodes_are_left_out(store_3000, tmp_path):
    stats = write_html(store_3000, tmp_path / "graph.html", max_nodes=500)
    assert (stats.nodes, stats.left_out) == (500, 2500)
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    partial = re.search(r'<span id="partial"[^>]*>([^<]*)</span>', page)
    assert partial and "2500" in partial.group(1) and "kg query" in partial.group(1)
    data = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S
    ).group(1)
    data = json.loads(data)
    assert len(data["nodes"]) == 500 and data["leftOut"] == 2500


def test_cap_boundary(store_3000):
    whole = read_view(store_3000)
    at_cap = read_view(store_3000, max_nodes=3000)
    assert at_cap.left_out == 0 and render(at_cap) == render(whole)
    one_less = read_view(store_3000, max_nodes=2999)
    assert len(one_less.nodes) == 2999 and one_less.left_out == 1


def test_partial_view_reads_a_budget_of_statements_per_node(store_3000, monkeypatch):
    """Over the cap, each node's statements are read up to ``STATEMENT_BUDGET``: the
    counts still come whole (from SPARQL aggregates), the sources are some of the whole
    view's, and fewer of them."""
    from kg.export import html_data

    full = read_view(store_3000)
    whole_budget = read_view(store_3000, max_nodes=500)
    monkeypatch.setattr(html_data, "STATEMENT_BUDGET", 2)
    view = read_view(store_3000, max_nodes=500)
    assert [n.iri for n in view.nodes] == [n.iri for n in whole_budget.nodes]
    whole = {n.iri: n for n in full.nodes}
    texts = {t for t, _ in full.sentences}
    squeezed = 0
    for node in view.nodes:
        other = whole[node.iri]
        assert node.mentions == other.mentions or node.type == "article"
        assert node.source_count >= len(node.sources)
        assert len(node.sources) <= html_data.MAX_SOURCES
        if node.type in ENTITY_TYPES and node.mentions > 2:
            squeezed += 1
            assert node.source_count >= other.source_count
        assert {view.sentences[i][0] for i in node.sources} <= texts
    assert squeezed
    stated = [e for e in view.edges if e.sentence >= 0]
    # an edge's sentence may lie outside the whole view's (looked up from its object)
    assert {view.sentences[e.sentence][0] for e in stated} <= _sentence_texts(store_3000)


def _sentence_texts(store) -> set[str]:
    """Every kg:Sentence's text in the store."""
    return {
        row[0].value
        for row in store.query(
            f"SELECT ?t WHERE {{ ?s a <{KG.Sentence}> ; <{RDF.value}> ?t }}",
            use_default_graph_as_union=True,
        )
    }


@pytest.mark.parametrize("object_budget", [400, 1])  # in bulk; one by one
def test_partial_view_edges_keep_their_sentence_beyond_the_budget(
    store_3000, monkeypatch, object_budget
):
    """An edge whose statement lies beyond its subject's statement budget (an article
    → a much mentioned entity) still carries a sentence that states it: looked up from
    its object, so every edge that has a sentence in the whole view has one here."""
    from kg.export import html_data

    full = read_view(store_3000)
    monkeypatch.setattr(html_data, "STATEMENT_BUDGET", 2)
    monkeypatch.setattr(html_data, "OBJECT_BUDGET", object_budget)
    view = read_view(store_3000, max_nodes=500)
    iri = [n.iri for n in view.nodes]
    whole_index = {n.iri: i for i, n in enumerate(full.nodes)}
    whole_edges = {(e.source, e.target, e.rel, e.label): e for e in full.edges}
    texts = _sentence_texts(store_3000)
    for e in view.edges:
        other = whole_edges[(whole_index[iri[e.source]], whole_index[iri[e.target]],
                             e.rel, e.label)]
        assert (e.sentence >= 0) == (other.sentence >= 0), e
        if e.sentence >= 0:
            text, article = view.sentences[e.sentence]
            # a sentence of the right article: the edge's article for a mention
            if e.rel == "mentions":
                assert article == e.source
            assert text in texts
    # … and these are edges the budget alone leaves without one
    monkeypatch.setattr(html_data._Reader, "first_sources", lambda self, edges: {})
    unlooked = read_view(store_3000, max_nodes=500)
    assert sum(e.sentence >= 0 for e in unlooked.edges) < sum(
        e.sentence >= 0 for e in view.edges
    )


def test_seed_page_is_the_whole_graph_below_the_cap(seed_build, tmp_path):
    """The build's page (default cap) is the page with no cap at all."""
    uncapped = tmp_path / "graph.html"
    stats = write_html(seed_build, uncapped, max_nodes=10**9)
    built = (seed_build / "graph.html").read_text(encoding="utf-8")
    assert stats.left_out == 0 and 'id="partial"' not in built
    assert built == uncapped.read_text(encoding="utf-8")
    view = read_view(seed_build)
    assert view.left_out == 0 and len(view.nodes) == stats.nodes


# -- in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    yield from open_browser()


@pytest.fixture(scope="module")
def seed_build(seed_paths, tmp_path_factory) -> Path:
    """kg build of the five seed pages (writes graph.html after graph.trig)."""
    out = tmp_path_factory.mktemp("seed_build")
    build(seed_paths, out)
    return out


def _load(browser, path: Path, fragment: str = "") -> dict:
    browser.logs("performance")  # drop what came before (the new-tab page)
    browser.logs("browser")
    browser.get(path.resolve().as_uri() + fragment)
    return browser.wait_for("return window.kgReady", timeout=30)


def _clean(browser, path: Path) -> None:
    """No request but the page itself, no resource loaded, no error of any kind."""
    requests = [u for u in browser.requests() if not u.startswith("data:")]
    assert requests == [path.resolve().as_uri()] or set(requests) == {
        path.resolve().as_uri()
    }
    assert browser.run("return performance.getEntriesByType('resource').length") == 0
    assert browser.run("return window.kgErrors") == []
    severe = [e for e in browser.logs("browser") if e.get("level") == "SEVERE"]
    assert severe == []


def test_seed_page_draws_its_overview_offline_without_errors(browser, seed_build):
    page = seed_build / "graph.html"
    assert page.is_file()
    data = payload(read_view(seed_build))
    overview = set(data["overview"])
    expected_edges = sum(
        1 for e in data["edges"] if e[0] in overview and e[1] in overview
    )
    ready = _load(browser, page)
    assert ready["view"] == "overview"
    assert ready["nodes"] == len(overview) == min(DEFAULT_OVERVIEW, len(data["nodes"]))
    assert ready["edges"] == expected_edges
    assert ready["total"] == len(data["nodes"])
    assert (
        browser.run("return document.getElementById('loading').style.display") == "none"
    )
    _clean(browser, page)
    shot = browser.screenshot(OUTPUTS / "graph.png")
    assert shot.stat().st_size > 20_000


def test_search_filter_focus_and_show_all(browser, seed_build):
    page = seed_build / "graph.html"
    _load(browser, page)
    view = read_view(seed_build)
    # search by alias
    hits = browser.run("""
        var s = document.getElementById('search'); s.value = '省医保局';
        s.dispatchEvent(new Event('input'));
        return Array.from(document.querySelectorAll('#results li')).map(li => li.textContent);
    """)
    assert hits and hits[0].startswith("甘肃省医疗保障局")
    assert (
        browser.run("document.querySelector('#results a').click(); return kg.view()")
        == "focus"
    )
    browser.run("kg.overview()")
    # a real mouse click on a node opens its panel; a double click focuses on it
    gansu = next(k for k, n in enumerate(view.nodes) if n.label == "甘肃省")
    x, y = browser.run(f"""
        var p = kg.network.canvasToDOM(kg.network.getPosition({gansu}));
        var r = document.getElementById('net').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    """)
    browser.click_at(x, y)
    assert (
        browser.wait_for(
            "var h = document.querySelector('#details h2');return h && h.textContent"
        )
        == "甘肃省"
    )
    panel = browser.run("return document.getElementById('details').textContent")
    assert "620000" in panel and "省级" in panel
    browser.click_at(x, y, clicks=2)
    assert browser.wait_for("return kg.view() === 'focus' && kg.shown().length")
    # focus: the agency and its neighbours, drawn with their panel
    i = next(k for k, n in enumerate(view.nodes) if n.label == "甘肃省医疗保障局")
    neighbours = {
        e.target if e.source == i else e.source
        for e in view.edges
        if i in (e.source, e.target)
    }
    shown = browser.run(f"kg.focus({i}, 1); return kg.shown();")
    assert set(shown) == neighbours | {i}
    panel = browser.run("return document.getElementById('details').textContent")
    for text in (
        "甘肃省医疗保障局",
        "省医保局",
        "政府机关",
        "主管",
        "基本医疗保险",
        "出处",
    ):
        assert text in panel
    browser.screenshot(OUTPUTS / "graph_focus.png")
    # type filter: persons off
    persons = {k for k, n in enumerate(view.nodes) if n.type == "person"}
    browser.run(
        "kg.all(); document.querySelector('#legend input[data-type=person]').click();"
    )
    shown = set(browser.run("return kg.shown()"))
    assert shown == set(range(len(view.nodes))) - persons
    browser.run("document.querySelector('#legend input[data-type=person]').click();")
    assert len(browser.run("return kg.shown()")) == len(view.nodes)
    assert browser.run("return window.kgErrors") == []


def test_article_html_shows_as_text_and_never_runs(browser, hostile_page):
    ready = _load(browser, hostile_page)
    assert ready["nodes"] == ready["total"]  # a small graph: all of it in the overview
    result = browser.run("""
        var out = {};
        var article = kg.find('医保工作会议召开')[0], person = kg.find('王伟')[0];
        kg.details(article);
        out.article = document.getElementById('details').textContent;
        kg.details(person);
        out.person = document.getElementById('details').textContent;
        var s = document.getElementById('search'); s.value = '<script>';
        s.dispatchEvent(new Event('input'));
        out.results = document.getElementById('results').textContent;
        out.pwned = window.__kgPwned === undefined ? null : window.__kgPwned;
        out.imgs = document.querySelectorAll('img').length;
        out.bold = document.querySelectorAll('b').length;
        out.scripts = document.querySelectorAll('script').length;
        out.title = document.title;
        return out;
    """)
    assert SCRIPT_TITLE in result["article"]
    assert IMG in result["person"] and "<b>省医保局</b>" in result["person"]
    assert SCRIPT_TITLE in result["results"]
    assert result["pwned"] is None
    assert result["imgs"] == 0 and result["bold"] == 0 and result["scripts"] == 4
    assert result["title"] == "kg 知识图谱"
    _clean(browser, hostile_page)
    # and were a script ever injected, the page's Content-Security-Policy would stop it
    browser.run("""
        var s = document.createElement('script'); s.textContent = 'window.__kgPwned = 3';
        document.body.appendChild(s);
    """)
    assert browser.run("return window.__kgPwned === undefined")
    report = browser.wait_for(
        "return window.kgErrors.length && window.kgErrors.splice(0)", timeout=5
    )
    assert any("CSP blocked script-src" in r for r in report)
    browser.screenshot(OUTPUTS / "graph_escaped.png")


def test_a_2000_node_page_is_ready_fast(browser, tmp_path):
    from kg.bench_html import synthetic_store

    store, _ = synthetic_store(2000)
    page = tmp_path / "graph.html"
    write_html(store, page)
    ready = _load(browser, page)
    assert ready["nodes"] == DEFAULT_OVERVIEW and ready["total"] == 2000
    assert ready["ms"] < 3000
    assert len(browser.run("kg.all(); return kg.shown()")) == 2000
    _clean(browser, page)


def test_a_capped_page_loads_and_says_it_is_partial(browser, store_3000, tmp_path):
    page = tmp_path / "graph.html"
    write_html(store_3000, page, max_nodes=500)
    ready = _load(browser, page)
    assert ready["total"] == 500 and ready["nodes"] == DEFAULT_OVERVIEW
    assert "2500" in browser.run(
        "return document.getElementById('partial').textContent"
    )
    _clean(browser, page)
