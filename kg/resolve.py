"""Mentions → entities: the spans of every article of a page, merged by canonical name.

One entity per canonical name and kind within a document; its mentions are the distinct
surface forms, its attributes the first ones found (components resolve canonical names
with context, so a merge by name is a merge by entity here). Bylines become persons with
their newspaper post (记者 @ 甘肃日报).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from kg.nlp.pipeline import ArticleDocs
from kg.nlp.spans import doc_text, span_rows
from kg.types import Page, Provenance

#: Byline roles that are posts at the paper (a photographer or author credit is not).
PAPER_ROLES = {"记者", "通讯员", "实习生"}


@dataclass(slots=True)
class Entity:
    """A resolved entity with its mentions and where each was read."""

    kind: str  # REGION, AGENCY, PERSON, PROGRAM
    name: str
    mentions: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)


def _sentence_index(article, offset: int) -> int:
    for sentence in article.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return -1


def resolve_page(page: Page, docs: Iterable[ArticleDocs]) -> dict[str, list[Entity]]:
    """Entities of a page by kind, in order of first mention."""
    found: dict[tuple[str, str], Entity] = {}
    for item in docs:
        for doc, base in ((item.title, item.title_start), (item.body, item.body_start)):
            if doc is None:
                continue
            text, in_body = doc_text(doc), doc is item.body
            for start, end, label, data in span_rows(doc):
                name = data.get("canonical")
                if not name:
                    continue
                key = (label, name)
                entity = found.get(key)
                if entity is None:
                    entity = found[key] = Entity(label, name)
                mention = data.get("mention") or text[start:end]  # the span's text
                if mention not in entity.mentions:
                    entity.mentions.append(mention)
                for attr, value in data.items():
                    if attr in ("canonical", "mention", "posts", "roles_in_text", "rule"):
                        continue
                    if entity.attrs.get(attr) is None and value is not None:
                        entity.attrs[attr] = value
                for post in data.get("posts") or []:
                    if post not in entity.posts:
                        entity.posts.append(post)
                for role in data.get("roles_in_text") or []:
                    if role not in entity.roles:
                        entity.roles.append(role)
                start, end = base + start, base + end
                index = _sentence_index(item.article, start) if in_body else -1
                entity.provenance.append(Provenance(page.doc, item.article.index, index,
                                                    start, end, data.get("rule", "")))
    paper = page.publication.name
    if paper:  # the paper itself is an agency (media) of its home region
        key = ("AGENCY", paper)
        entity = found.get(key)
        if entity is None:
            entity = found[key] = Entity("AGENCY", paper, [paper])
        entity.attrs.setdefault("kind", "media")
        if page.publication.region:
            entity.attrs.setdefault("region", page.publication.region)
    for article in page.articles:
        for byline in article.bylines:
            key = ("PERSON", byline.name)
            entity = found.get(key)
            if entity is None:
                entity = found[key] = Entity("PERSON", byline.name, [byline.name])
            if byline.role in PAPER_ROLES and paper:  # a post needs the paper's name
                post = {"title": byline.role, "org": paper, "org_mention": paper}
                if post not in entity.posts:
                    entity.posts.append(post)
    out: dict[str, list[Entity]] = {"REGION": [], "AGENCY": [], "PERSON": [], "PROGRAM": []}
    for (kind, _), entity in found.items():
        out.setdefault(kind, []).append(entity)
    renamed = _merge_short_names(out["AGENCY"])
    for person in out["PERSON"]:
        for post in person.posts:
            if post.get("org") in renamed:
                post["org"] = renamed[post["org"]]
    return out


_FULL_COMPANY = ("股份有限公司", "有限责任公司", "有限公司")


def short_name_of(short: str, full: str) -> bool:
    """Whether ``short`` is a short form of ``full`` as Chinese names shorten:
    the name without its legal form and place (袍江控股集团 → 绍兴袍江控股集团有限公司), or
    the name with characters dropped (金泥集团 → 金昌水泥集团)."""
    if len(short) < 3 or len(short) >= len(full):
        return False
    if short in full and full.endswith(_FULL_COMPANY) and short.endswith(("集团", "公司")):
        return True
    if short[0] != full[0] or short[-2:] != full[-2:] or len(full) - len(short) > 4:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def _merge_short_names(agencies: list[Entity]) -> dict[str, str]:
    """Fold agencies named by a short form into the full name on the same page."""
    renamed: dict[str, str] = {}
    by_length = sorted(agencies, key=lambda e: len(e.name), reverse=True)
    for short in list(agencies):
        n = len(short.name)
        if n < 3:
            continue  # too short to shorten anything (short_name_of)
        # only longer names can be the full one: they lead by_length
        longer = takewhile(lambda e: len(e.name) > n, by_length)  # noqa: B023
        full = next((e for e in longer if e.name not in renamed
                     and short_name_of(short.name, e.name)), None)
        if full is None:
            continue
        for mention in short.mentions:
            if mention not in full.mentions:
                full.mentions.append(mention)
        full.provenance.extend(short.provenance)
        renamed[short.name] = full.name
        agencies.remove(short)
    return renamed


def report_lists(page: Page, entities: dict[str, list[Entity]]) -> dict[str, list[dict]]:
    """The report's entity and relation lists (SCHEMA.md) from resolved entities."""
    regions = [{"name": e.name, "mentions": e.mentions, "level": e.attrs.get("level"),
                "parent": e.attrs.get("parent"), "code": e.attrs.get("code")}
               for e in entities.get("REGION", [])]
    agencies = [{"name": e.name, "mentions": e.mentions, "region": e.attrs.get("region"),
                 "kind": e.attrs.get("kind")} for e in entities.get("AGENCY", [])]
    persons = [{"name": e.name, "posts": e.posts, "roles_in_text": e.roles}
               for e in entities.get("PERSON", [])]
    programs = [{"name": e.name, "mentions": e.mentions, "kind": e.attrs.get("kind")}
                for e in entities.get("PROGRAM", [])]
    relations: list[dict[str, str]] = []
    stated: set[tuple[str, str, str]] = set()  # what relations holds, to test in O(1)

    def rel(s: str | None, p: str, o: str | None) -> None:
        if s and o and (s, p, o) not in stated:
            stated.add((s, p, o))
            relations.append({"s": s, "p": p, "o": o})

    for person in persons:
        for post in person["posts"]:
            if post.get("org"):
                rel(person["name"], "holds_post", f"{post['title']}@{post['org']}")
                rel(person["name"], "member_of", post["org"])  # a post is held in an org
    names = sorted({a["name"] for a in agencies}, key=len)
    for agency in agencies:
        # a sub-body is named after its parent: 甘肃省总工会办公室 → 甘肃省总工会, a
        # party group after 中共 (中共甘肃省总工会党组), a delegation to a session holds
        # the body's name (第十三届全国人民代表大会第二次会议甘肃代表团)
        name = agency["name"]
        own = name[2:] if name.startswith("中共") and name.endswith("党组") else name
        parent = next((n for n in reversed(names) if len(n) < len(own)
                       and own.startswith(n) and len(n) >= 4), None)
        if parent is None and name.endswith("代表团"):
            parent = next((n for n in reversed(names) if n in name and n != name
                           and len(n) >= 4), None)
        rel(agency["name"], "part_of", parent)
    for agency in agencies:
        rel(agency["name"], "located_in", agency["region"])
    for region in regions:
        rel(region["name"], "part_of", region["parent"])
    for article in page.articles:
        label = article.title or article.body[:20]
        for byline in article.bylines:
            rel(label, "reported_by", byline.name)
    return {"regions": regions, "agencies": agencies, "persons": persons,
            "programs": programs, "relations": relations}
