"""``make bench``: the HTML view on large graphs (numbers in ``outputs/bench/html.json``).

A synthetic graph in kg's shape (``synthetic_store``: persons holding posts in agencies,
regions in a tree with division codes, programs, figures, articles with sentences, and
every mention and relation reified with its source sentence in the provenance graph,
as ``kg.graph`` writes them) is built in an Oxigraph store; then

- ``write_20k_s``: ``write_html`` on a 20,000-node graph, from the store to graph.html
  on disk (target: under 10 s);
- ``tti_2k_ms``: a 2,000-node page opened in headless Chromium, time from navigation
  start to the page's ready marker (network drawn, handlers attached; target: under
  3 s), for the default overview and with every node drawn (``#all``), the median of
  three loads; the same for the 20,000-node page's overview.

Chromium is Debian's (``apt-get install chromium chromium-driver``); without it the
browser numbers are left out and the reason is written instead.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.graph.namespaces import PREFIXES
from kg.io import write_atomic, write_json

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SDO = "https://schema.org/"
_ORG = "http://www.w3.org/ns/org#"
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_QB = "http://purl.org/linked-data/cube#"
_KG = PREFIXES["kg"]
_ID = PREFIXES["kgid"]
_SDMX_DIM = PREFIXES["sdmx-dimension"]
_SDMX_ATTR = PREFIXES["sdmx-attribute"]

#: Shares of each node type in the synthetic graph.
SHARES = {
    "person": 0.2,
    "agency": 0.2,
    "region": 0.1,
    "program": 0.15,
    "figure": 0.25,
    "article": 0.1,
}
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海波宁辉鹏林"
_PLACES = (
    "甘肃青海山西浙江江苏陕西宁夏四川云南贵州河南河北湖南湖北广东广西福建安徽江西山东"
)
_BODIES = (
    "人民政府",
    "发展和改革委员会",
    "医疗保障局",
    "总工会",
    "住房和城乡建设厅",
    "生态环境局",
    "卫生健康委员会",
    "教育厅",
    "财政局",
    "民政局",
    "日报社",
)
_TITLES = ("主席", "副主席", "局长", "副局长", "书记", "副书记", "主任", "厅长", "记者")
_PROGRAMS = (
    "基本医疗保险",
    "乡村振兴",
    "脱贫攻坚",
    "就业援助",
    "医疗救助",
    "人才计划",
    "稳就业行动",
    "数字政府",
    "生态保护",
    "职工互助保障",
)
_UNITS = ("人", "元", "%", "个", "人次", "亩")
_LEVELS = ("province", "prefecture", "county", "township")
#: Quads handed to Oxigraph at a time while a synthetic store is written.
_BATCH = 200_000


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(local)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def synthetic_store(
    nodes: int, seed: int = 42, path: str | Path | None = None
) -> tuple[ox.Store, dict[str, int]]:
    """An Oxigraph store holding a kg-shaped graph of about ``nodes`` typed nodes: in
    memory, or on disk at ``path`` (written in batches: any size fits)."""
    rng = random.Random(seed)
    count = {t: max(1, round(nodes * share)) for t, share in SHARES.items()}
    count["person"] += nodes - sum(count.values())
    default = ox.DefaultGraph()
    provenance = _n(PREFIXES["kggraph"] + "provenance")
    store = ox.Store(str(path)) if path is not None else ox.Store()
    quads: list[ox.Quad] = []

    def add(quad: ox.Quad) -> None:
        quads.append(quad)
        if len(quads) >= _BATCH:
            store.bulk_extend(quads)
            quads.clear()

    rdf_type = _n(_RDF + "type")
    pref = _n(_SKOS + "prefLabel")

    def node(kind: str, i: int) -> ox.NamedNode:
        return _n(f"{_ID}{kind}/{i}")

    # articles and their sentences
    articles = [node("article", i) for i in range(count["article"])]
    sentences: list[list[ox.NamedNode]] = []
    for i, a in enumerate(articles):
        add(ox.Quad(a, rdf_type, _n(_SDO + "NewsArticle"), a))
        title = f"{rng.choice(_PLACES)}{rng.choice(_PROGRAMS)}工作会议召开（第{i}期）"
        add(ox.Quad(a, _n(_DCT + "title"), _zh(title), a))
        add(ox.Quad(a, _n(_RDFS + "label"), _zh(title), a))
        add(ox.Quad(a, _n(_KG + "kind"), ox.Literal("article"), a))
        add(
            ox.Quad(
                a,
                _n(_DCT + "date"),
                ox.Literal(
                    f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    datatype=_n("http://www.w3.org/2001/XMLSchema#date"),
                ),
                a,
            )
        )
        own = []
        for k in range(8):
            s = _n(f"{_ID}sentence/{i}-{k}")
            own.append(s)
            add(ox.Quad(s, rdf_type, _n(_KG + "Sentence"), a))
            add(
                ox.Quad(
                    s,
                    _n(_RDF + "value"),
                    _zh(
                        f"第{k + 1}句：{rng.choice(_PLACES)}省{rng.choice(_BODIES)}部署"
                        f"{rng.choice(_PROGRAMS)}工作，参保人数达{rng.randint(1, 999)}万人。"
                    ),
                    a,
                )
            )
            add(ox.Quad(s, _n(_DCT + "isPartOf"), a, a))
            add(
                ox.Quad(
                    s,
                    _n(_KG + "startOffset"),
                    ox.Literal(
                        str(k * 60),
                        datatype=_n("http://www.w3.org/2001/XMLSchema#integer"),
                    ),
                    a,
                )
            )
        sentences.append(own)

    def source() -> ox.NamedNode:
        return rng.choice(rng.choice(sentences))

    def stated(
        s: ox.NamedNode,
        p: ox.NamedNode,
        o: ox.NamedNode,
        src: ox.NamedNode,
        triple_graph: Any = default,
    ) -> None:
        add(ox.Quad(s, p, o, triple_graph))
        st = _n(
            f"{_ID}statement/"
            + hashlib.sha1(
                f"{s.value}|{p.value}|{o.value}|{src.value}".encode()
            ).hexdigest()[:20]
        )
        add(ox.Quad(st, rdf_type, _n(_RDF + "Statement"), provenance))
        add(ox.Quad(st, _n(_RDF + "subject"), s, provenance))
        add(ox.Quad(st, _n(_RDF + "predicate"), p, provenance))
        add(ox.Quad(st, _n(_RDF + "object"), o, provenance))
        add(ox.Quad(st, _n(_PROV + "wasDerivedFrom"), src, provenance))

    def mentioned(e: ox.NamedNode, times: int) -> None:
        for _ in range(times):
            src = source()
            article = articles[int(src.value.rsplit("/", 1)[1].split("-")[0])]
            stated(e, _n(_DCT + "isReferencedBy"), article, src)

    def zipf() -> int:
        return min(1 + int(rng.paretovariate(1.3)), 200)

    # regions: a tree
    regions = [node("region", i) for i in range(count["region"])]
    for i, r in enumerate(regions):
        level = _LEVELS[min(3, int(i**0.25))] if i else "province"
        add(ox.Quad(r, rdf_type, _n(_SDO + "AdministrativeArea"), default))
        add(
            ox.Quad(
                r,
                pref,
                _zh(
                    f"{_PLACES[i % len(_PLACES)]}{i}{'省市县镇'[_LEVELS.index(level)]}"
                ),
                default,
            )
        )
        add(ox.Quad(r, _n(_KG + "divisionLevel"), ox.Literal(level), default))
        add(
            ox.Quad(
                r, _n(_KG + "divisionCode"), ox.Literal(f"{620000 + i:06d}"), default
            )
        )
        if i:
            add(
                ox.Quad(
                    r,
                    _n(_SDO + "containedInPlace"),
                    regions[rng.randrange(max(1, i // 3) or 1)],
                    default,
                )
            )
        mentioned(r, zipf())
    agencies = [node("agency", i) for i in range(count["agency"])]
    for i, g in enumerate(agencies):
        add(ox.Quad(g, rdf_type, _n(_ORG + "Organization"), default))
        add(
            ox.Quad(
                g,
                pref,
                _zh(f"{_PLACES[i % len(_PLACES)]}省{rng.choice(_BODIES)}{i}"),
                default,
            )
        )
        add(ox.Quad(g, _n(_KG + "kind"), ox.Literal("government"), default))
        add(ox.Quad(g, _n(_SKOS + "altLabel"), _zh(f"省机构{i}"), default))
        stated(g, _n(_SDO + "location"), rng.choice(regions), source())
        mentioned(g, zipf())
    for i, a in enumerate(articles):
        add(ox.Quad(a, _n(_DCT + "publisher"), agencies[i % min(20, len(agencies))], a))
    persons = [node("person", i) for i in range(count["person"])]
    for p in persons:
        add(ox.Quad(p, rdf_type, _n(_SDO + "Person"), default))
        add(
            ox.Quad(
                p,
                pref,
                _zh(rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)),
                default,
            )
        )
        for _ in range(1 + (rng.random() < 0.3)):
            g = rng.randrange(len(agencies))
            title = rng.choice(_TITLES)
            post = _n(f"{_ID}post/{g}-{_TITLES.index(title)}")
            role = _n(f"{_ID}role/{_TITLES.index(title)}")
            add(ox.Quad(post, rdf_type, _n(_ORG + "Post"), default))
            add(ox.Quad(post, _n(_ORG + "postIn"), agencies[g], default))
            add(ox.Quad(post, _n(_ORG + "role"), role, default))
            add(ox.Quad(role, pref, _zh(title), default))
            stated(p, _n(_ORG + "holds"), post, source())
        mentioned(p, zipf())
        if rng.random() < 0.2:
            a = rng.choice(articles)
            add(ox.Quad(a, _n(_DCT + "creator"), p, a))
    programs = [node("program", i) for i in range(count["program"])]
    for i, p in enumerate(programs):
        add(ox.Quad(p, rdf_type, _n(_KG + "Program"), default))
        add(ox.Quad(p, pref, _zh(f"{rng.choice(_PROGRAMS)}{i}号"), default))
        add(ox.Quad(p, _n(_KG + "kind"), ox.Literal("project"), default))
        stated(rng.choice(agencies), _n(_KG + "administers"), p, source())
        stated(p, _n(_DCT + "spatial"), rng.choice(regions), source())
        mentioned(p, zipf())
    for i in range(count["figure"]):
        f = node("observation", i)
        unit = rng.choice(_UNITS)
        metric = f"{rng.choice(_PROGRAMS)}参保人数"
        value = rng.randint(1, 10**7)
        add(ox.Quad(f, rdf_type, _n(_QB + "Observation"), default))
        add(ox.Quad(f, _n(_RDFS + "label"), _zh(f"{metric}{value}{unit}"), default))
        add(ox.Quad(f, _n(_KG + "metric"), _zh(metric), default))
        add(
            ox.Quad(
                f,
                _n(_KG + "value"),
                ox.Literal(
                    str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#decimal")
                ),
                default,
            )
        )
        add(
            ox.Quad(
                f,
                _n(_SDMX_ATTR + "unitMeasure"),
                _n(f"{_ID}unit/{_UNITS.index(unit)}"),
                default,
            )
        )
        add(ox.Quad(f, _n(_SDMX_DIM + "refArea"), rng.choice(regions), default))
        if rng.random() < 0.3:
            add(ox.Quad(f, _n(_DCT + "subject"), rng.choice(programs), default))
        add(ox.Quad(f, _n(_PROV + "wasDerivedFrom"), source(), provenance))
    for i, unit in enumerate(_UNITS):
        add(ox.Quad(_n(f"{_ID}unit/{i}"), pref, _zh(unit), default))
    store.bulk_extend(quads)
    store.flush()
    return store, count


def _page_ready(browser: Any, url: str) -> tuple[float, dict[str, Any]]:
    """Load ``url``; (wall seconds from the request to the ready marker, kgReady)."""
    browser.get("about:blank")
    started = time.perf_counter()
    browser.get(url)
    ready = browser.wait_for("return window.kgReady", timeout=120)
    wall = time.perf_counter() - started
    errors = browser.run("return window.kgErrors")
    if errors:
        raise RuntimeError(f"{url}: JavaScript errors: {errors}")
    return wall, ready


def _peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, it starts again
    at exec, so a child does not report its parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def write_from_disk(store_path: Path, page: Path) -> dict[str, Any]:
    """``write_html`` from the on-disk store at ``store_path``, in this process: the
    time, the page, and the process's peak resident memory (before and after)."""
    from kg.export.html import write_html

    before = _peak_rss_mb()
    store = ox.Store.read_only(str(store_path))
    stats = write_html(store, page)
    return {
        "quads": len(store),
        "nodes": stats.nodes,
        "left_out": stats.left_out,
        "edges": stats.edges,
        "html_bytes": stats.bytes,
        "write_s": stats.seconds,
        "rss_after_imports_mb": before,
        "peak_rss_mb": _peak_rss_mb(),
    }


def measure_write(nodes: int, work: Path) -> dict[str, Any]:
    """A synthetic store of ``nodes`` nodes written to disk, then its page written by
    a fresh process (``--write-store``), so the peak memory is the page's alone."""
    store_path = work / f"store_{nodes}"
    started = time.perf_counter()
    store, count = synthetic_store(nodes, path=store_path)
    store.optimize()  # compacted, as a store that has been used is
    del store  # closes the store: the child opens it read-only
    made = time.perf_counter() - started
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.bench_html",
            "--write-store",
            str(store_path),
            "--page",
            str(work / f"graph_{nodes}_disk.html"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout)
    shutil.rmtree(store_path, ignore_errors=True)
    return {"types": count, "generate_s": round(made, 2), **result}


def run(
    nodes_write: int = 20000,
    nodes_browser: int = 2000,
    loads: int = 3,
    out: Path | None = None,
    nodes_large: tuple[int, ...] = (50_000,),
) -> dict[str, Any]:
    from kg.export.html import write_html
    from kg.export.html_browser import Browser, BrowserError, find_chromium

    result: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="kg-bench-html-"))
    # memory: the page of a store at the cap and of stores far beyond it, each written
    # by a fresh process from the store on disk
    if nodes_large:
        for size in (nodes_write, *nodes_large):
            result[f"disk_{size}"] = measure_write(size, work)
        largest = result[f"disk_{max(nodes_large)}"]
        result["write_capped_s"] = largest["write_s"]
        result["peak_rss_mb"] = largest["peak_rss_mb"]
        result["peak_rss_mb_by_nodes"] = {
            str(size): result[f"disk_{size}"]["peak_rss_mb"]
            for size in (nodes_write, *nodes_large)
        }
        result["peak_rss_target_mb"] = 2000
    pages: dict[int, Path] = {}
    for size in sorted({nodes_write, nodes_browser}):
        started = time.perf_counter()
        store, count = synthetic_store(size)
        made = time.perf_counter() - started
        page = (out or work) / f"graph_{size}.html"
        stats = write_html(store, page)
        pages[size] = page
        result[f"graph_{size}"] = {
            "nodes": stats.nodes,
            "edges": stats.edges,
            "quads": len(store),
            "types": count,
            "generate_s": round(made, 2),
            "write_s": stats.seconds,
            "html_bytes": stats.bytes,
            "overview_nodes": stats.overview,
        }
    result["write_20k_s"] = result[f"graph_{nodes_write}"]["write_s"]
    result["write_20k_target_s"] = 10
    result["html_20k_bytes"] = result[f"graph_{nodes_write}"]["html_bytes"]
    if find_chromium() is None:
        result["browser"] = "not measured: chromium or chromedriver not installed"
        return result
    try:
        with Browser() as browser:
            result["browser"] = f"Chromium {browser.version}, headless"
            for size, view in (
                (nodes_browser, ""),
                (nodes_browser, "#all"),
                (nodes_write, ""),
            ):
                walls, marks, ready = [], [], {}
                for _ in range(loads):
                    wall, ready = _page_ready(
                        browser, pages[size].resolve().as_uri() + view
                    )
                    walls.append(wall)
                    marks.append(ready["ms"])
                key = f"tti_{size // 1000}k_{'all' if view else 'overview'}"
                result[key] = {
                    "ms_from_navigation": round(statistics.median(marks)),
                    "wall_s_from_request": round(statistics.median(walls), 3),
                    "nodes_drawn": ready["nodes"],
                    "edges_drawn": ready["edges"],
                }
    except BrowserError as exc:
        result["browser"] = f"not measured: {exc}"
    key = f"tti_{nodes_browser // 1000}k_overview"
    if key in result:
        result["tti_2k_ms"] = result[key]["ms_from_navigation"]
        result["tti_2k_all_ms"] = result[f"tti_{nodes_browser // 1000}k_all"][
            "ms_from_navigation"
        ]
        result["tti_2k_target_ms"] = 3000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="outputs/bench", type=Path)
    parser.add_argument(
        "--nodes", default=20000, type=int, help="nodes of the write test"
    )
    parser.add_argument(
        "--browser-nodes",
        default=2000,
        type=int,
        help="nodes of the page timed in Chromium",
    )
    parser.add_argument(
        "--large",
        default="50000",
        help="nodes of the stores beyond the cap whose page memory is measured "
        "(comma-separated; empty: none; 200000 for the 5.9M-quad store, which "
        "takes many minutes to generate and write)",
    )
    parser.add_argument("--write-store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--page", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_store:  # the child of measure_write
        print(json.dumps(write_from_disk(args.write_store, args.page)))
        return
    large = tuple(int(n) for n in args.large.split(",") if n.strip())
    result = run(args.nodes, args.browser_nodes, out=args.out, nodes_large=large)
    write_json(args.out / "html.json", result)
    lines = [
        f"write {args.nodes} nodes: {result['write_20k_s']} s "
        f"({result['html_20k_bytes'] / 1e6:.1f} MB)"
    ]
    for size in (args.nodes, *large):
        disk = result.get(f"disk_{size}")
        if disk:
            lines.append(
                f"store of {size} nodes ({disk['quads']} quads) on disk: page of "
                f"{disk['nodes']} nodes ({disk['left_out']} left out) in "
                f"{disk['write_s']} s, peak RSS {disk['peak_rss_mb']} MB "
                f"({disk['rss_after_imports_mb']} MB after imports), "
                f"{disk['html_bytes'] / 1e6:.1f} MB"
            )
    for key in ("tti_2k_overview", "tti_2k_all", "tti_20k_overview"):
        if key in result:
            lines.append(
                f"{key}: {result[key]['ms_from_navigation']} ms to ready, "
                f"{result[key]['nodes_drawn']} nodes drawn"
            )
    if "tti_2k_overview" not in result:
        lines.append(str(result.get("browser")))
    write_atomic(
        args.out / "html.md",
        "# kg bench: graph.html\n\n" + "\n".join(f"- {line}" for line in lines) + "\n",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
