"""Which paper a page comes from, its home region and date, from the page's own words.

The masthead is usually lost in extraction, but leads and bylines name the paper
(青海日报讯, 新甘肃·甘肃日报记者); its home region follows from the name (甘肃日报 → 甘肃省).
Options given by the user (--publication, --region, --date) win over what is inferred.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
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
    if region is None:
        region = region_of_text(page.text)
    if pub_date is None:
        m = _DATE.search(page.text[:400])
        if m:
            pub_date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return Publication(name=name, region=region, date=pub_date)


#: Words by which a paper speaks of its home: a city paper says 我市, a provincial one 我省.
_HOME_CITY = re.compile(r"我市|本市|全市")
_HOME_PROVINCE = re.compile(r"我省|本省|全省")
_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


def region_of_text(text: str) -> str | None:
    """The home region of a page without a masthead: the most mentioned prefecture when
    the page says 我市, the most mentioned province (directly or through its prefectures)
    when it says 我省. Only unambiguous surface forms are counted."""
    city, province = len(_HOME_CITY.findall(text)), len(_HOME_PROVINCE.findall(text))
    if not city and not province:
        return None
    table = _table()
    if table is None:
        return None
    counts: Counter[str] = Counter()
    for _end, code in _unambiguous_surfaces().iter(text):
        counts[code] += 1
    if not counts:
        return None
    by_level: dict[str, Counter[str]] = {"prefecture": Counter(), "province": Counter()}
    for code, n in counts.items():
        region = table.by_code(code)
        if region is None:
            continue
        for r in (region, *table.ancestors(region)):
            if r.level in by_level:
                by_level[r.level][r.name] += n
    if city >= province and by_level["prefecture"]:
        (best, n), total = by_level["prefecture"].most_common(1)[0], by_level["prefecture"].total()
        if n * 2 >= total:  # one city dominates: a city paper
            return best
    # several cities of one province (a provincial page) or 我省: the province
    return by_level["province"].most_common(1)[0][0] if by_level["province"] else None


@cache
def _unambiguous_surfaces():
    """An Aho-Corasick automaton of the unambiguous surface forms of divisions, each
    giving the code of the highest-level division it names (built once: scanning every
    surface with ``in`` cost most of ingest)."""
    import ahocorasick

    table = _table()
    automaton = ahocorasick.Automaton()
    for surface, candidates in table.surface_index().items():
        if len(surface) < 2 or table.is_ambiguous_short(surface):
            continue
        current = [r for r in candidates if r.level in _LEVEL_RANK]
        if current:
            automaton.add_word(surface, min(current, key=lambda r: _LEVEL_RANK[r.level]).code)
    automaton.make_automaton()
    return automaton


def _table():
    try:
        from kg.resources.regions import load_regions
    except ImportError:  # the division table is not installed: no inference
        return None
    return load_regions()


def region_of_paper(name: str) -> str | None:
    """甘肃日报 → 甘肃省, 大同日报 → 大同市: the paper's name without 日报, as a region."""
    stem = re.sub(r"(?:日报|晚报|工人报|报)$", "", name)
    table = _table()
    if table is None:
        return None
    candidates = table.surface_index().get(stem, [])
    if not candidates:
        return None
    best = min(candidates, key=lambda r: ("province", "prefecture", "county").index(r.level)
               if r.level in ("province", "prefecture", "county") else 9)
    return best.name


def resolve_place(place: str | None, home: str | None) -> list[str]:
    """A dateline place as canonical regions, nearest first: 兰州 in a Gansu paper →
    [兰州市, 甘肃省]. Candidates inside the paper's home region win."""
    table = _table() if place else None
    if table is None or not place:
        return []
    candidates = [r for r in table.candidates(place) if r.level in _LEVEL_RANK]
    if not candidates:
        return []

    def rank(region) -> tuple[int, int]:
        chain = [r.name for r in (region, *table.ancestors(region))]
        return (0 if home in chain else 1, _LEVEL_RANK[region.level])

    best = min(candidates, key=rank)
    return [r.name for r in (best, *table.ancestors(best)) if r.level in _LEVEL_RANK]
