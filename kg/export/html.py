"""``graph.html``: an explorer of the knowledge graph that works with no network.

One self-contained file: vis-network (the copy pyvis 0.3.2 inlines in its ``in_line``
mode), the page's own script and style, and the graph as JSON, all inline. No CDN, no
Bootstrap (pyvis's template links it from jsdelivr in every mode), and a
Content-Security-Policy that lets only these scripts run (by their SHA-256) and lets the
page fetch nothing.

What it shows (data from ``kg.export.html_data.read_view``, the RDF graph):

- nodes coloured and shaped by type (legend with counts, which doubles as the type
  filter), Chinese labels, size by how often the text mentions the entity;
- edges labelled with the relation (任职 edges with the post title);
- on click, a side panel: canonical name, aliases, facts (posts, division codes,
  values and units, article metadata), relations and the source sentences with their
  article titles; every string goes into the page with ``textContent``, never as HTML;
- search by name or alias, focus on one entity's neighbourhood (double click), back to
  the overview;
- large graphs: the overview shows the most mentioned nodes only
  (``DEFAULT_OVERVIEW``), with positions computed in Python
  (``kg.export.html_layout``) and physics off; the rest is reached by search and focus,
  and "show all" draws every node (offered up to ``SHOW_ALL_LIMIT`` nodes);
- very large graphs: the page carries at most ``MAX_NODES`` nodes (the most mentioned
  entities, then the articles and figures linked to them: ``html_data.select_nodes``)
  and says in its header how many it leaves out, to be reached with ``kg query``.

The page sets ``data-kg-ready`` on ``<html>`` and ``window.kgReady`` (time since
navigation start, nodes and edges drawn) once the network is first drawn; tests and
``make bench`` wait for it.

pyvis's ``Network.add_node``/``add_edge`` are not used: ``add_edge`` scans every edge
added before (20,000 nodes took 47-67 s there); node and edge lists are built in bulk.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from kg.export.html_data import MAX_NODES, RELATIONS, TYPES, GraphView, read_view
from kg.export.html_layout import DEFAULT_OVERVIEW, layout
from kg.io import write_atomic

#: File name ``kg build`` writes.
HTML_NAME = "graph.html"
#: Graphs up to this many nodes offer "show all" (vis draws 2,000 in about a second).
SHOW_ALL_LIMIT = 5000
#: Colour, vis.js shape and the legend symbol of each node type.
STYLE: dict[str, tuple[str, str, str]] = {
    "person": ("#e15759", "dot", "●"),
    "agency": ("#4e79a7", "square", "■"),
    "region": ("#59a14f", "triangle", "▲"),
    "program": ("#f28e2b", "diamond", "◆"),
    "event": ("#b07aa1", "triangleDown", "▼"),
    "figure": ("#c9a400", "star", "★"),
    "article": ("#76b7b2", "hexagon", "⬢"),
}
VIS_VERSION = "9.1.2"


@dataclass(slots=True)
class HtmlStats:
    """What one write produced."""

    nodes: int
    edges: int
    overview: int
    bytes: int
    seconds: float
    left_out: int = 0  # nodes of the graph the page leaves out (beyond max_nodes)


def _vis_js() -> str:
    """vis-network as pyvis ships it for ``cdn_resources="in_line"``."""
    lib = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


def _asset(name: str) -> str:
    return (resources.files("kg.export") / "templates" / name).read_text(
        encoding="utf-8"
    )


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' outside escapes, so text such as
    ``</script>`` or ``<!--`` in an article cannot end the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sha256(text: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
            "ascii"
        )
        + "'"
    )


def payload(view: GraphView, overview: int = DEFAULT_OVERVIEW) -> dict[str, Any]:
    """The page's data: compact arrays, indices instead of repeated names."""
    positions, top = layout(view, overview)
    type_index = {t: i for i, t in enumerate(TYPES)}
    rel_keys = list(RELATIONS)
    rel_index = {k: i for i, k in enumerate(rel_keys)}
    nodes = []
    for i, node in enumerate(view.nodes):
        x, y = positions[i]
        nodes.append(
            [
                type_index[node.type],
                node.label,
                node.mentions,
                x,
                y,
                node.aliases,
                [list(f) for f in node.facts],
                node.sources,
                node.source_count,
            ]
        )
    edges = []
    for e in view.edges:
        word = 0 if e.label == RELATIONS[e.rel] else e.label
        edges.append([e.source, e.target, rel_index[e.rel], word, e.sentence])
    return {
        "types": [[t, TYPES[t], *STYLE[t]] for t in TYPES],
        "rels": [RELATIONS[k] for k in rel_keys],
        "mentionRel": rel_index["mentions"],
        "nodes": nodes,
        "edges": edges,
        "sentences": [list(s) for s in view.sentences],
        "overview": top,
        "showAll": len(view.nodes) <= SHOW_ALL_LIMIT,
    }


_PAGE = Environment(autoescape=True, keep_trailing_newline=True)


def render(
    view: GraphView, title: str = "kg 知识图谱", overview: int = DEFAULT_OVERVIEW
) -> str:
    """The whole page as one string."""
    data = payload(view, overview)
    if view.left_out:
        data["leftOut"] = view.left_out
    data = _script_json(data)
    guard = _asset("graph_guard.js")
    vis = _vis_js()
    app = _asset("graph.js")
    if "</script" in vis.lower() or "</script" in app.lower():
        raise ValueError("an inline script contains </script>")
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(guard)} {_sha256(vis)} {_sha256(app)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    counts = view.counts()
    template = _PAGE.from_string(_asset("graph.html"))
    return template.render(
        title=title,
        csp=csp,
        css=Markup(_asset("graph.css")),
        guard=Markup(guard),
        vis=Markup(vis),
        app=Markup(app),
        data=Markup(data),
        total_nodes=len(view.nodes),
        total_edges=len(view.edges),
        counts=", ".join(f"{TYPES[t]} {counts[t]}" for t in TYPES if counts[t]),
        left_out=view.left_out,
    )


def write_html(
    graph: Any,
    path: str | Path,
    title: str = "kg 知识图谱",
    overview: int = DEFAULT_OVERVIEW,
    max_nodes: int = MAX_NODES,
) -> HtmlStats:
    """Write the explorer page for ``graph`` (a kg dataset, an Oxigraph store, a
    ``GraphView`` or a build folder) to ``path``, atomically; at most ``max_nodes``
    nodes (``HtmlStats.left_out`` counts the others)."""
    started = time.perf_counter()
    view = graph if isinstance(graph, GraphView) else read_view(graph, max_nodes)
    page = render(view, title, overview)
    write_atomic(path, page)
    return HtmlStats(
        nodes=len(view.nodes),
        edges=len(view.edges),
        overview=min(overview, len(view.nodes)),
        bytes=len(page.encode("utf-8")),
        seconds=round(time.perf_counter() - started, 3),
        left_out=view.left_out,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.export.html OUTPUTS [-o graph.html]``: the page of a built graph."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("graph", help="build folder (graph.trig) or graph file")
    parser.add_argument(
        "-o", "--out", help="page to write (default: <folder>/graph.html)"
    )
    parser.add_argument(
        "--overview",
        type=int,
        default=DEFAULT_OVERVIEW,
        help=f"nodes in the first view (default {DEFAULT_OVERVIEW})",
    )
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=MAX_NODES,
        help=f"nodes the page carries at most (default {MAX_NODES})",
    )
    args = parser.parse_args(argv)
    source = Path(args.graph)
    out = (
        Path(args.out)
        if args.out
        else (source if source.is_dir() else source.parent) / HTML_NAME
    )
    stats = write_html(
        source, out, overview=args.overview, max_nodes=args.max_nodes
    )
    partial = f" ({stats.left_out} more left out)" if stats.left_out else ""
    print(
        f"{out}: {stats.nodes} nodes{partial}, {stats.edges} edges, "
        f"{math.ceil(stats.bytes / 1024)} KB in {stats.seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
