"""Shared fixtures: the seed pages and, where present, the gold files beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five seed pages in {SEEDS}"
    return paths


@pytest.fixture(scope="session")
def seed_pages(seed_paths):
    from kg.ingest import read_page

    return {p.name: read_page(p) for p in seed_paths}


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    if not GOLD.is_dir():
        pytest.skip(f"gold files not found at {GOLD}")
    return GOLD
