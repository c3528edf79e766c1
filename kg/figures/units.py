"""Units written after numbers, and the normalisation SCHEMA.md asks for.

The table is ``kg/resources/units.tsv``: surface form → canonical unit, kind,
multiplier to the canonical unit and currency. Normalising here (万元 → 元 ×10⁴,
名 → 人) keeps one rule for every caller, so a figure reads the same whichever surface
the article used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from kg.errors import ResourceError
from kg.resources import read_table

#: The kinds a unit can have (the ``kind`` column).
KINDS = frozenset(
    {
        "count",
        "money",
        "percent",
        "area",
        "weight",
        "volume",
        "time",
        "rank",
        "temperature",
        "length",
        "energy",
        "other",
    }
)

#: Kinds a bare magnitude word can measure (万亩, 百亿元): after a count classifier the
#: same words are idioms or names (千家万户, 万家灯火, 万人空巷), so those are refused.
MEASURE_KINDS = frozenset({"money", "area", "weight", "volume", "length", "energy"})

#: Canonical unit of ranks (全国排名第五位 → 5 名次).
RANK_UNIT = "名次"


@dataclass(frozen=True, slots=True)
class Unit:
    """One row of units.tsv."""

    surface: str
    canonical: str
    kind: str
    multiplier: Decimal  # one ``surface`` is this many ``canonical``
    currency: str | None  # ISO 4217 for money
    arabic_only: bool  # a Chinese numeral before it usually makes an ordinary word


@cache
def unit_table() -> dict[str, Unit]:
    """All units keyed by surface form (read once)."""
    table: dict[str, Unit] = {}
    for row in read_table("units.tsv"):
        surface = row["surface"]
        if row["kind"] not in KINDS:
            kind = row["kind"]
            raise ResourceError(f"units.tsv: unknown kind {kind!r} for {surface!r}")
        try:
            multiplier = Decimal(row["multiplier"])
        except InvalidOperation as exc:
            raise ResourceError(f"units.tsv: bad multiplier for {surface!r}") from exc
        if surface in table:
            raise ResourceError(f"units.tsv: {surface!r} is listed twice")
        table[surface] = Unit(
            surface=surface,
            canonical=row["canonical"],
            kind=row["kind"],
            multiplier=multiplier,
            currency=None if row["currency"] in ("", "-") else row["currency"],
            arabic_only=row["arabic_only"] == "yes",
        )
    return table


def lookup_unit(surface: str) -> Unit | None:
    """The unit written as ``surface``, or None."""
    return unit_table().get(surface)


@cache
def unit_pattern() -> str:
    """Regex alternation of every surface, longest first so 人次 wins over 人."""
    surfaces = sorted(unit_table(), key=lambda s: (-len(s), s))
    return "|".join(re.escape(s) for s in surfaces)


def normalise(value: Decimal, surface: str) -> tuple[Decimal, Unit] | None:
    """(``value`` in canonical units, unit) for a figure written with ``surface``."""
    unit = lookup_unit(surface)
    if unit is None:
        return None
    return value * unit.multiplier, unit
