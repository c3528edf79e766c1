"""Score extraction reports against the hand-made gold files, as SCHEMA.md describes.

Every list is compared per file as a set (or, where SCHEMA.md says each gold item is
matched once, as a one-to-one matching); true positives, predicted and gold counts are
summed over files before precision, recall and F1 are taken (micro-averaging), so large
pages weigh more than small ones and one empty page cannot swing the total.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import GoldError

__all__ = [
    "ENTITY_LISTS",
    "LISTS",
    "PREDICATES",
    "Counts",
    "EvalResult",
    "format_table",
    "load_report",
    "normalise",
    "score_dirs",
    "score_file",
    "to_json",
]

ENTITY_LISTS = ("persons", "agencies", "regions", "programs")
"""Lists scored by ``name`` (strict) and by name or mention (``<list>:surface``)."""

REPORT_LISTS = ("articles", *ENTITY_LISTS, "figures", "relations")
"""Top-level lists of a report that are scored, hence validated."""

PREDICATES = (
    "holds_post",
    "member_of",
    "located_in",
    "part_of",
    "administers",
    "applies_to",
    "attended",
    "reported_by",
    "cooperates_with",
)
"""SCHEMA.md's predicates: always reported, so tables line up across runs."""

LISTS = (
    "articles",
    *(key for name in ENTITY_LISTS for key in (name, f"{name}:surface")),
    "posts",
    "figures",
    "relations",
    *(f"relations:{p}" for p in PREDICATES),
)
"""Score keys in display order; unknown predicates add ``relations:<p>`` after these."""

ARTICLE_PREFIX = 10
"""Body characters compared for an article whose gold title is null."""

FIGURE_REL_TOL = 1e-9
"""Relative tolerance for figure values: 0.1 + 0.2 is 0.3, 24433301 is not 24433300."""

_STRIP = re.compile(r"[\s“”‘’\"'「」『』《》]+")


def normalise(text: object) -> str:
    """NFKC, then drop quotes, 《》 and spaces: typographic variants cost no match."""
    if text is None:
        return ""
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(text)))


@dataclass(slots=True)
class Counts:
    """True positives, predictions and gold items of one list; adds up over files."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold
        )

    @property
    def precision(self) -> float:
        """tp / predicted; 0.0 when nothing was predicted (no credit for silence)."""
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """tp / gold; 0.0 when the gold list is empty."""
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "pred": self.n_pred,
            "gold": self.n_gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(slots=True)
class EvalResult:
    """Scores of a run: per gold doc, summed totals, and the files left unpaired."""

    per_file: dict[str, dict[str, Counts]] = field(default_factory=dict)
    total: dict[str, Counts] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # gold docs without a report
    unmatched: list[str] = field(default_factory=list)  # report files without gold


# ------------------------------------------------------------ loading


def _fail(path: str | Path, problem: str) -> GoldError:
    return GoldError(f"{path}: {problem}")


def _check_strings(path: str | Path, where: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(
            path, f"{where} must be a list of strings, got {type(value).__name__}"
        )


def _check_fields(
    path: str | Path, where: str, item: Mapping[str, Any], keys: Iterable[str],
    required: bool = False,
) -> None:
    """Scored fields are strings (or null, unless required): a number or a list in
    their place would be scored as its repr."""
    for key in keys:
        value = item.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str):
            got = "nothing" if key not in item else type(value).__name__
            raise _fail(path, f"{where}.{key} must be a string, got {got}")


_SCORED_FIELDS = {
    "articles": ("title", "first_chars"),
    "figures": ("unit",),
    **{key: ("name",) for key in ENTITY_LISTS},
}


def validate(data: object, path: str | Path) -> dict[str, Any]:
    """Check what the scorer relies on, so a bad file fails by name, not mid-score."""
    if not isinstance(data, dict):
        raise _fail(path, f"top level must be a JSON object, got {type(data).__name__}")
    if not isinstance(data.get("doc"), str) or not data["doc"]:
        raise _fail(path, "'doc' must be a non-empty string (the seed file name)")
    for key in REPORT_LISTS:
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _fail(path, f"'{key}' must be a list, got {type(items).__name__}")
        for i, item in enumerate(items):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                got = type(item).__name__
                raise _fail(path, f"{where} must be an object, got {got}")
            _check_fields(path, where, item, _SCORED_FIELDS.get(key, ()))
            if key in ENTITY_LISTS:
                _check_strings(path, f"{where}.mentions", item.get("mentions"))
            if key == "relations":
                _check_fields(path, where, item, ("s", "p", "o"), required=True)
            if key == "figures":
                value = item.get("value")
                if isinstance(value, bool) or not isinstance(value, int | float | str):
                    got = "nothing" if "value" not in item else type(value).__name__
                    raise _fail(path, f"{where}.value must be a number, got {got}")
            if key == "persons":
                posts = item.get("posts")
                if posts is not None and not (
                    isinstance(posts, list) and all(isinstance(p, dict) for p in posts)
                ):
                    raise _fail(path, f"{where}.posts must be a list of objects")
                for j, post in enumerate(posts or []):
                    _check_fields(path, f"{where}.posts[{j}]", post, ("title", "org"))
    return data


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def load_report(path: str | Path) -> dict[str, Any]:
    """Read and validate a report or gold file (same schema); GoldError names it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise _fail(path, "is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = f"0x{raw[exc.start]:02x}"
        raise _fail(
            path, f"is not UTF-8 text (byte {byte} at offset {exc.start})"
        ) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON: {exc}") from None
    except ValueError as exc:  # NaN, Infinity
        raise _fail(path, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise _fail(path, "not valid JSON for kg: nested too deeply") from None
    return validate(data, path)


# ------------------------------------------------------------ matching


def _max_matching(n_pred: int, n_gold: int, match: Callable[[int, int], bool]) -> int:
    """Size of a maximum one-to-one pairing: no early greedy pair steals a match.

    Augmenting paths (Kuhn), searched with an explicit stack so long chains of
    look-alike items cannot hit Python's recursion limit.
    """
    edges = [[j for j in range(n_gold) if match(i, j)] for i in range(n_pred)]
    owner = [-1] * n_gold  # gold j -> pred i
    matched = 0
    for root in range(n_pred):
        if not edges[root]:
            continue
        seen = [False] * n_gold
        stack: list[tuple[int, int]] = [(root, 0)]  # (pred, next edge to try)
        path: list[int] = []  # gold items taken along the current path
        while stack:
            i, k = stack[-1]
            if k == len(edges[i]):
                stack.pop()
                if path:
                    path.pop()
                continue
            stack[-1] = (i, k + 1)
            j = edges[i][k]
            if seen[j]:
                continue
            seen[j] = True
            path.append(j)
            if owner[j] < 0:
                for (pi, _), gj in zip(stack, path, strict=True):
                    owner[gj] = pi
                matched += 1
                break
            stack.append((owner[j], 0))
    return matched


def _set_counts(pred: Iterable[Any], gold: Iterable[Any]) -> Counts:
    p, g = set(pred), set(gold)
    return Counts(len(p & g), len(p), len(g))


def _items(report: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    return [x for x in report.get(key) or [] if isinstance(x, dict)]


def _by_name(items: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Normalised name -> normalised surface forms; nameless items are not countable."""
    out: dict[str, set[str]] = {}
    for item in items:
        name = normalise(item.get("name"))
        if not name:
            continue
        forms = out.setdefault(name, {name})
        forms.update(f for f in map(normalise, item.get("mentions") or []) if f)
    return out


def _score_entities(pred: list[dict], gold: list[dict]) -> tuple[Counts, Counts]:
    """Strict (name = name) and surface (any form = any form, one-to-one) counts."""
    p, g = _by_name(pred), _by_name(gold)
    strict = _set_counts(p, g)
    p_forms, g_forms = list(p.values()), list(g.values())
    tp = _max_matching(
        len(p_forms), len(g_forms), lambda i, j: bool(p_forms[i] & g_forms[j])
    )
    return strict, Counts(tp, len(p_forms), len(g_forms))


def _posts(persons: Iterable[Mapping[str, Any]]) -> set[tuple[str, str, str]]:
    out = set()
    for person in persons:
        name = normalise(person.get("name"))
        for post in person.get("posts") or []:
            if isinstance(post, dict):
                out.add(
                    (name, normalise(post.get("title")), normalise(post.get("org")))
                )
    return out


def _number(value: object) -> float | None:
    """A figure's value as a float; None (never matching) when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def _figure_key(item: Mapping[str, Any]) -> tuple[float | None, str]:
    """(value, unit), the unit in NFKC so ％ and % (or no unit and null) agree."""
    unit = item.get("unit")
    unit_key = "" if unit is None else unicodedata.normalize("NFKC", str(unit)).strip()
    return _number(item.get("value")), unit_key


def _score_figures(pred: list[dict], gold: list[dict]) -> Counts:
    """Multiset match on (value, unit): a figure twice in gold must be found twice."""
    p = [_figure_key(x) for x in pred]
    g = [_figure_key(x) for x in gold]

    def same(i: int, j: int) -> bool:
        (pv, pu), (gv, gu) = p[i], g[j]
        return (
            pu == gu
            and pv is not None
            and gv is not None
            and math.isclose(pv, gv, rel_tol=FIGURE_REL_TOL, abs_tol=0.0)
        )

    return Counts(_max_matching(len(p), len(g), same), len(p), len(g))


def _score_articles(pred: list[dict], gold: list[dict]) -> Counts:
    """Title match, or first-10-characters match where gold has no title; one-to-one."""
    p_title = [normalise(x.get("title")) for x in pred]
    p_head = [normalise(x.get("first_chars"))[:ARTICLE_PREFIX] for x in pred]
    g_title = [
        None if x.get("title") is None else normalise(x.get("title")) for x in gold
    ]
    g_head = [normalise(x.get("first_chars"))[:ARTICLE_PREFIX] for x in gold]

    def same(i: int, j: int) -> bool:
        if g_title[j] is None:
            return bool(g_head[j]) and p_head[i] == g_head[j]
        return bool(g_title[j]) and p_title[i] == g_title[j]

    return Counts(_max_matching(len(pred), len(gold), same), len(pred), len(gold))


def _triples(items: Iterable[Mapping[str, Any]]) -> set[tuple[str, str, str]]:
    return {
        (normalise(x.get("s")), normalise(x.get("p")), normalise(x.get("o")))
        for x in items
    }


def score_file(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Counts]:
    """Counts per list: keys as in LISTS, plus ``relations:<p>`` per unknown p."""
    scores: dict[str, Counts] = {
        "articles": _score_articles(_items(pred, "articles"), _items(gold, "articles"))
    }
    for key in ENTITY_LISTS:
        strict, surface = _score_entities(_items(pred, key), _items(gold, key))
        scores[key], scores[f"{key}:surface"] = strict, surface
    scores["posts"] = _set_counts(
        _posts(_items(pred, "persons")), _posts(_items(gold, "persons"))
    )
    scores["figures"] = _score_figures(_items(pred, "figures"), _items(gold, "figures"))
    p_rel, g_rel = (
        _triples(_items(pred, "relations")),
        _triples(_items(gold, "relations")),
    )
    scores["relations"] = _set_counts(p_rel, g_rel)
    extra = sorted({t[1] for t in p_rel | g_rel} - set(PREDICATES))
    for predicate in (*PREDICATES, *extra):
        scores[f"relations:{predicate}"] = _set_counts(
            (t for t in p_rel if t[1] == predicate),
            (t for t in g_rel if t[1] == predicate),
        )
    return scores


# ------------------------------------------------------------ directories


def doc_key(doc: str) -> str:
    """Pairing key: the seed file name without folder or extension, so x.txt,
    seeds/x.txt and x meet."""
    name = PurePosixPath(doc.replace("\\", "/")).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _json_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, str | Path):
        paths = [paths]
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(path.glob("*.json")))
        elif path.is_file():
            out.append(path)
        else:
            raise _fail(path, "no such file or directory")
    return out


def _index(paths: Sequence[Path], what: str) -> dict[str, tuple[Path, dict[str, Any]]]:
    """doc key -> (file, data); two files for one doc would make the score ambiguous."""
    out: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in paths:
        data = load_report(path)
        key = doc_key(data["doc"])
        if key in out:
            raise _fail(
                path, f"{what} for doc {data['doc']!r} already given by {out[key][0]}"
            )
        out[key] = (path, data)
    return out


def _add_into(total: dict[str, Counts], scores: Mapping[str, Counts]) -> None:
    for key, counts in scores.items():
        total[key] = total.get(key, Counts()) + counts


def score_dirs(
    gold_dir: str | Path, report_paths_or_dir: str | Path | Iterable[str | Path]
) -> EvalResult:
    """Pair gold and reports by ``doc``, then score; a missing report is all missed."""
    gold_files = _json_files(gold_dir)
    if not gold_files:
        raise _fail(gold_dir, "no gold *.json files found")
    gold = _index(gold_files, "gold")
    reports = _index(_json_files(report_paths_or_dir), "report")
    result = EvalResult(total={key: Counts() for key in LISTS})
    for key in sorted(gold, key=lambda k: gold[k][1]["doc"]):
        gold_data = gold[key][1]
        doc = gold_data["doc"]
        if key in reports:
            pred = reports[key][1]
        else:
            result.missing.append(doc)
            pred = {"doc": doc}
        scores = score_file(gold_data, pred)
        result.per_file[doc] = scores
        _add_into(result.total, scores)
    result.unmatched = [
        str(path) for key, (path, _) in sorted(reports.items()) if key not in gold
    ]
    return result


# ------------------------------------------------------------ output


def format_table(result: EvalResult) -> str:
    """Aligned plain text for terminal or log: totals, then per-file article recall."""
    width = max(len("list"), *(len(k) for k in result.total))
    header = (
        f"{'list':<{width}}  {'P':>6} {'R':>6} {'F1':>6}"
        f"  {'tp':>5} {'pred':>5} {'gold':>5}"
    )
    lines = [header, "-" * len(header)]
    for key, c in result.total.items():
        lines.append(
            f"{key:<{width}}  {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            f"  {c.tp:>5} {c.n_pred:>5} {c.n_gold:>5}"
        )
    if result.per_file:
        lines += ["", "article recall per file"]
        doc_width = max(len(d) for d in result.per_file)
        for doc, scores in result.per_file.items():
            c = scores.get("articles", Counts())
            note = "  (no report)" if doc in result.missing else ""
            lines.append(
                f"{doc:<{doc_width}}  {c.recall:6.3f}  {c.tp}/{c.n_gold}{note}"
            )
    if result.unmatched:
        lines += [
            "",
            "reports without gold (not scored): " + ", ".join(result.unmatched),
        ]
    return "\n".join(lines)


def to_json(result: EvalResult) -> dict[str, Any]:
    """JSON-ready dict of every count and score, for `kg eval --json` and tracking."""
    return {
        "total": {key: c.to_json() for key, c in result.total.items()},
        "per_file": {
            doc: {key: c.to_json() for key, c in scores.items()}
            for doc, scores in result.per_file.items()
        },
        "missing": list(result.missing),
        "unmatched": list(result.unmatched),
    }
