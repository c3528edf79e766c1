"""Which paper a page comes from, its home region and date, from the page's own words.

The masthead is usually lost in extraction, but leads and bylines name the paper
(青海日报讯, 新甘肃·甘肃日报记者); its home region follows from the name (甘肃日报 → 甘肃省).
Options given by the user (--publication, --region, --date) win over what is inferred.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from kg.ingest.chars import HAN
from kg.types import Page, Publication

if TYPE_CHECKING:
    from kg.ingest.articles import Draft

_PAPER = re.compile(rf"(?:[{HAN}]{{1,6}}·)?(?P<name>[{HAN}]{{2,6}}(?:日报|晚报|工人报|报))(?:讯|记者|通讯员|社)")
_NOT_PAPERS = {"本报", "新华社"}
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天]")


def infer_publication(page: Page, drafts: list[Draft], name: str | None, region: str | None,
                      pub_date: str | None) -> Publication:
    """Publication name, home region and issue date for a page."""
    if name is None:
        counts = Counter(m.group("name") for m in _PAPER.finditer(page.text)
                         if m.group("name") not in _NOT_PAPERS)
        name = counts.most_common(1)[0][0] if counts else None
    if region is None and name:
        region = region_of_paper(name)
    if pub_date is None:
        m = _DATE.search(page.text[:400])
        if m:
            pub_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return Publication(name=name, region=region, date=pub_date)


def region_of_paper(name: str) -> str | None:
    """甘肃日报 → 甘肃省, 大同日报 → 大同市: the paper's name without 日报, as a region."""
    stem = re.sub(r"(?:日报|晚报|工人报|报)$", "", name)
    try:
        from kg.resources.regions import load_regions
    except ImportError:  # the division table is not installed: no inference
        return None
    table = load_regions()
    candidates = table.surface_index().get(stem, [])
    if not candidates:
        return None
    best = min(candidates, key=lambda r: ("province", "prefecture", "county").index(r.level)
               if r.level in ("province", "prefecture", "county") else 9)
    return best.name
