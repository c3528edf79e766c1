"""Where each node of the HTML view stands, computed in Python so the browser draws with
physics off (vis.js physics does not settle at 2,000 nodes; pyvis's own build is
quadratic in the edges).

- The overview is ``overview`` nodes: the most mentioned of each type (ties: more edges
  first), each type's share in proportion to its size, figures and articles weighted
  down (``WEIGHTS``) so the entities come first. It is laid out with networkx's spring
  layout (Fruchterman-Reingold, fixed seed: the same graph always gives the same
  picture), then spread to an even density (each node keeps its direction from the
  centre, its distance becomes its rank's) and pushed apart where nodes overlap, so
  hubs do not pile up in the middle.
- Every other node is placed on a small spiral around the overview node it is closest
  to (a breadth-first search from all overview nodes at once), so "show all" keeps the
  overview's shape; a part of the graph with no path to the overview gets its own
  anchor on an outer spiral. This is linear in nodes + edges: 20,000 nodes take a
  fraction of a second.
"""

from __future__ import annotations

import math
from collections import deque

import networkx as nx

from kg.export.html_data import TYPES, GraphView

#: Nodes shown before anyone searches or focuses.
DEFAULT_OVERVIEW = 100
#: How much each type counts when the overview's places are shared out.
WEIGHTS = {
    "person": 1.5,
    "agency": 1.2,
    "region": 1.0,
    "program": 1.0,
    "event": 1.0,
    "figure": 0.3,
    "article": 0.5,
}
#: Pixels between neighbouring nodes in the overview, roughly.
SPACING = 110.0
_GOLDEN = math.pi * (3 - math.sqrt(5))


def rank(view: GraphView) -> list[int]:
    """Node indices, most mentioned first (then most connected, then by type and name)."""
    degree = [0] * len(view.nodes)
    for e in view.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    type_rank = {t: i for i, t in enumerate(TYPES)}
    return sorted(
        range(len(view.nodes)),
        key=lambda i: (
            -view.nodes[i].mentions,
            -degree[i],
            type_rank[view.nodes[i].type],
            view.nodes[i].label,
            i,
        ),
    )


def choose_overview(view: GraphView, order: list[int], size: int) -> list[int]:
    """``size`` nodes: each type's most mentioned, in proportion to the type's weight
    × count (largest remainders), a type with nodes getting at least one place."""
    size = max(0, min(size, len(order)))
    by_type: dict[str, list[int]] = {t: [] for t in TYPES}
    for i in order:
        by_type[view.nodes[i].type].append(i)
    weight = {t: WEIGHTS.get(t, 1.0) * len(by_type[t]) for t in TYPES}
    total = sum(weight.values()) or 1.0
    quota = {t: min(len(by_type[t]), int(size * weight[t] / total)) for t in TYPES}
    for t in TYPES:  # every type present is seen
        if by_type[t] and quota[t] == 0 and sum(quota.values()) < size:
            quota[t] = 1
    rest = sorted(TYPES, key=lambda t: -(size * weight[t] / total - quota[t]))
    while sum(quota.values()) < size:
        grown = False
        for t in rest:
            if sum(quota.values()) < size and quota[t] < len(by_type[t]):
                quota[t] += 1
                grown = True
        if not grown:
            break
    chosen = {i for t in TYPES for i in by_type[t][: quota[t]]}
    return [i for i in order if i in chosen]


def _spread(points: dict[int, tuple[float, float]], radius: float) -> None:
    """Even out density: each point keeps its angle around the centroid, its distance
    becomes radius × sqrt(rank / n); then a few passes push apart points closer than
    ``0.8 × SPACING``."""
    import numpy as np

    keys = sorted(points)
    xy = np.array([points[k] for k in keys], dtype=float)
    if len(keys) < 3:
        for k, (x, y) in zip(keys, xy * radius, strict=True):
            points[k] = (float(x), float(y))
        return
    xy -= xy.mean(axis=0)
    dist = np.hypot(xy[:, 0], xy[:, 1])
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    ranks = np.empty(len(keys))
    ranks[np.argsort(dist, kind="stable")] = np.arange(len(keys))
    r = radius * np.sqrt((ranks + 0.5) / len(keys))
    xy = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
    gap = SPACING * 0.8
    for _ in range(40):
        d = xy[:, None, :] - xy[None, :, :]
        length = np.hypot(d[..., 0], d[..., 1]) + np.eye(len(keys))
        push = np.clip(gap - length, 0, None) / length / 2
        np.fill_diagonal(push, 0)
        if not push.any():
            break
        xy += (d * push[..., None]).sum(axis=1)
    for k, (x, y) in zip(keys, xy, strict=True):
        points[k] = (float(x), float(y))


def layout(
    view: GraphView, overview: int = DEFAULT_OVERVIEW, seed: int = 7
) -> tuple[list[tuple[int, int]], list[int]]:
    """(x, y) per node, and the overview's node indices (most mentioned first)."""
    n = len(view.nodes)
    order = rank(view)
    top = choose_overview(view, order, overview)
    in_top = set(top)
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for e in view.edges:
        adjacency[e.source].append(e.target)
        adjacency[e.target].append(e.source)
    pos: list[tuple[float, float] | None] = [None] * n
    radius = SPACING * math.sqrt(max(len(top), 1)) * 0.6
    if top:
        sub = nx.Graph()
        sub.add_nodes_from(top)
        sub.add_edges_from(
            (e.source, e.target)
            for e in view.edges
            if e.source in in_top and e.target in in_top
        )
        if len(top) == 1:
            spring = {top[0]: (0.0, 0.0)}
        else:
            spring = nx.spring_layout(
                sub, seed=seed, iterations=150, k=2.0 / math.sqrt(len(top))
            )
        points = {i: (float(x), float(y)) for i, (x, y) in spring.items()}
        _spread(points, radius)
        for i, xy in points.items():
            pos[i] = xy
    # the rest: around the nearest overview node, in rank order
    anchor = [-1] * n
    for i in top:
        anchor[i] = i
    satellites: dict[int, int] = {}
    outer = 0
    rank_of = {i: r for r, i in enumerate(order)}
    queue: deque[int] = deque(top)

    def spread(queue: deque[int]) -> None:
        while queue:
            i = queue.popleft()
            for j in sorted(adjacency[i], key=rank_of.__getitem__):
                if anchor[j] < 0:
                    anchor[j] = anchor[i]
                    queue.append(j)

    spread(queue)
    reach = radius * 1.15 + SPACING
    for i in order:
        if pos[i] is not None:
            continue
        if anchor[i] < 0:  # no path to the overview: a new anchor further out
            r = reach + SPACING * 2.5 * math.sqrt(outer)
            angle = outer * _GOLDEN
            outer += 1
            pos[i] = (r * math.cos(angle), r * math.sin(angle))
            anchor[i] = i
            spread(deque([i]))
            continue
        a = anchor[i]
        k = satellites.get(a, 0)
        satellites[a] = k + 1
        ax, ay = pos[a]  # type: ignore[misc]
        r = SPACING * (0.45 + 0.22 * math.sqrt(k))
        angle = k * _GOLDEN + (a % 7)
        pos[i] = (ax + r * math.cos(angle), ay + r * math.sin(angle))
    return [(round(p[0]), round(p[1])) for p in pos if p is not None], top
