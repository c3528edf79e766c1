"""``kg_persons``: named people, officials above all, with their posts.

Names are anchored on what surrounds them, not guessed from the characters alone
(notes/nlp-engines.md: jieba's person tag is right about a quarter of the time):

1. **Title before the name**, the main rule. A title from ``titles.tsv`` ending right
   before a name, and the agency (an AGENCY span of kg_agencies, which runs first) right
   before the title, give a post: 省总工会|主席|胡焯. Posts chain backwards over 、 and
   over a comma that follows another title (省人大常委会副主任、省总工会主席胡焯: two
   posts; 省总工会办公室主任,陇西县委副书记冯继波: two). A title without an agency takes
   one from, in order: the title's own body (副省长 → the province's 人民政府, 总书记 →
   中国共产党中央委员会, 国家主席 → 中华人民共和国), a region written before it (美国总统 →
   美利坚合众国), the post before it in the chain (市政协党组书记、主席), the previous
   person of the sentence (…经审会主任罗世文,副主席张爱华: the body the 经审会 belongs
   to). Names listed after a title share its posts (副主席刘若亮,董建中,王丽萍、张海兵).
2. **Name before a leader title** (习近平总书记).
3. **Quoted speakers**: a name between a clause boundary and 说/介绍/表示/告诉记者 ….
4. Later mentions of a name found so far in the article.

A candidate name starts with a surname of ``surnames.txt`` (or is a person name in
jieba's dictionary: 拜登), is not an ordinary word (``person_stopwords.txt``, jieba's
dictionary frequency), not surname + honorific or title (李女士, 谢主席), and has a
boundary after it: punctuation, a word that follows names (出席, 主持, 在, 等 …), or a
known name. jieba's POS (nr) is only a tie-breaker between a two- and a three-character
reading; the title anchors decide.

PERSON payload: canonical (the name), rule, posts [{title, org, org_mention}],
roles_in_text (the short verb phrase after the name: 出席会议并致辞), mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.spans import add_span, doc_text, kg_spans
from kg.nlp.words import doc_words, word_freq, word_tag
from kg.resources.lexicons import (
    expand_agency,
    honorific_prefixes,
    honorifics,
    is_honorific_form,
    person_stopwords,
    split_surname,
    title_index,
)
from kg.resources.regions import RegionTable, load_regions

LABEL = "PERSON"
CHINA = "中华人民共和国"

_HAN = re.compile(r"[\u4e00-\u9fff]")
#: Words that follow a name in news (the name ends before them).
AFTER_NAME = (
    "出席",
    "主持",
    "参加",
    "参与",
    "会见",
    "会晤",
    "陪同",
    "看望",
    "慰问",
    "调研",
    "深入",
    "前往",
    "来到",
    "走进",
    "带队",
    "率队",
    "率",
    "一行",
    "等",
    "同志",
    "在",
    "于",
    "说",
    "表示",
    "介绍",
    "指出",
    "强调",
    "要求",
    "认为",
    "告诉",
    "坦言",
    "谈到",
    "讲话",
    "致辞",
    "作",
    "做",
    "向",
    "对",
    "与",
    "和",
    "及",
    "就",
    "是",
    "为",
    "以",
    "从",
    "乘",
    "邀请",
    "应邀",
    "汇报",
    "宣布",
    "签署",
    "提出",
    "通过",
    "正在",
    "正",
    "了解",
    "也",
    "还",
    "则",
    "被",
    "将",
    "把",
    "摄",
    "报道",
    "发表",
    "听取",
    "考察",
    "检查",
    "督导",
    "讲授",
    "分别",
    "先后",
    "同",
    "共同",
    "担任",
    "获得",
    "荣获",
    "现场",
    "详细",
    "实地",
    "会同",
    "出访",
    "亲临",
    "视察",
    "指导",
    "主讲",
    "宣读",
    "回答",
    "答",
    "先生",
    "女士",
    "透露",
    "接受",
    "昨日",
    "今日",
    "日前",
    "近日",
    "昨天",
    "今天",
    "此前",
    "曾",
    "多次",
    "发自",
    "文/",
    "一同",
    "更是",
    "称",
    "随后",
    "解释",
    "回应",
    "证实",
    "承认",
    "补充",
    "谈到",
    "坦承",
    "直言",
    "透露",
    "上周",
    "本周",
    "当天",
    "当日",
)
_AFTER_RE = re.compile("|".join(sorted(AFTER_NAME, key=len, reverse=True)))
_COUNT_AFTER = re.compile(
    r"[一二三四五六七八九十两\d]+[名位人个]|[\u4e00-\u9fff]{2,4}(报道|电)"
)
#: First characters that are surnames but far more often function words (从, 有, 向):
#: such a name needs more than a title before it.
_FUNCTION_FIRST = set("有从向和都在对于为将把被让给以与及也还就又才同")
#: Speech verbs after a quoted speaker.
SPEECH = (
    "告诉记者",
    "介绍说",
    "表示",
    "介绍",
    "说道",
    "指出",
    "强调",
    "坦言",
    "认为",
    "谈到",
    "感慨",
    "回忆",
    "说",
)
_SPEECH_RE = re.compile("|".join(SPEECH))
#: Verbs whose phrase after a name is kept as roles_in_text.
ROLE_VERBS = (
    "出席",
    "主持",
    "参加",
    "会见",
    "会晤",
    "陪同",
    "看望",
    "慰问",
    "调研",
    "深入",
    "前往",
    "带队",
    "率队",
    "讲话",
    "致辞",
    "汇报",
    "考察",
    "视察",
    "检查",
    "督导",
    "讲授",
    "宣读",
    "签署",
    "介绍",
    "发表",
    "亲临",
    "出访",
    "乘专机",
    "作",
    "主讲",
)
#: Characters a name does not end with (王毅等, 张三说) or contain.
_NOT_LAST = set(
    "等的在和与及说是们了并也都就对为将把被向从到这那个多以来省市县区局委部办厅会院室"
    "处所队组站团村镇乡"
)
_NOT_IN_NAME = set("的了是在和与及等们这那个一")
#: Clause boundaries before a quoted speaker.
_LEFT_BOUND = set('，,。；;：:“”"‘’（）()、！!？?\n\t 的')
#: Titles that may follow a name (习近平总书记).
TITLES_AFTER_NAME = ("总书记", "主席", "总理", "委员长")
#: Titles whose body is implied. ("national", surface): expand_agency(None, surface);
#: ("fixed", name); (level, core): the core of the paper's region of that level.
TITLE_ORGS: dict[str, tuple[str, str]] = {
    "总书记": ("national", "党中央"),
    "国家主席": ("fixed", CHINA),
    "国家副主席": ("fixed", CHINA),
    "国务院总理": ("national", "国务院"),
    "总理": ("national", "国务院"),
    "国务院副总理": ("national", "国务院"),
    "副总理": ("national", "国务院"),
    "国务委员": ("national", "国务院"),
    "委员长": ("national", "全国人大常委会"),
    "副委员长": ("national", "全国人大常委会"),
    "中央军委主席": ("national", "中央军委"),
    "军委主席": ("national", "中央军委"),
    "中央军委副主席": ("national", "中央军委"),
    "军委副主席": ("national", "中央军委"),
    "省长": ("province", "政府"),
    "副省长": ("province", "政府"),
    "常务副省长": ("province", "政府"),
    "省长助理": ("province", "政府"),
    "自治区主席": ("province", "政府"),
    "自治区副主席": ("province", "政府"),
    "市长": ("city", "政府"),
    "副市长": ("city", "政府"),
    "常务副市长": ("city", "政府"),
    "市长助理": ("city", "政府"),
    "县长": ("county", "政府"),
    "副县长": ("county", "政府"),
    "常务副县长": ("county", "政府"),
    "区长": ("county", "政府"),
    "副区长": ("county", "政府"),
    "常务副区长": ("county", "政府"),
}
#: Head-of-government titles a written region takes as its 人民政府 (甘肃省副省长).
_GOVERNMENT_TITLES = {
    t
    for t, (level, core) in TITLE_ORGS.items()
    if level in ("province", "city", "county")
}
#: Byline roles whose org is the paper of the dateline (青海日报讯(记者 王菲菲)).
BYLINE_ROLES = (
    "记者",
    "本报记者",
    "通讯员",
    "实习生",
    "特约记者",
    "见习记者",
    "首席记者",
    "摄影记者",
    "全媒体记者",
    "融媒体记者",
    "特约通讯员",
)
_DATELINE_OPEN = re.compile(r"(讯|电)\s*[(（]\s*$")


@dataclass(slots=True)
class _Item:
    """One post of a chain: title, the agency span before it (or a region), start."""

    title: str
    start: int
    org: str | None = None
    org_mention: str | None = None
    parent: str | None = None  # the body the org belongs to (经审会 → 总工会)
    explicit: bool = False


@dataclass(slots=True)
class _Person:
    start: int
    end: int
    name: str
    rule: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)


class PersonFinder:
    """Finds PERSON spans; resources are loaded by ``initialize``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.titles: dict[str, Any] | None = None
        self.table: RegionTable | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        self.titles = dict(title_index())
        self.max_title = max(len(t) for t in self.titles)
        self.title_ends = ahocorasick.Automaton()
        for title in self.titles:
            self.title_ends.add_word(title, title)
        self.title_ends.make_automaton()
        self.role_nouns = {
            t for t, row in self.titles.items() if row.note.startswith("role noun")
        }
        self.stopwords = person_stopwords()
        self.honorifics = tuple(honorifics())
        self.prefixes = tuple(honorific_prefixes())
        self.table = load_regions()
        self.surfaces = self.table.surface_index()
        self.max_alias = max(len(s) for s in self.surfaces)
        word_freq("的")  # loads jieba's dictionary now, not in the first doc

    # -- the component --------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        if self.titles is None:
            self.initialize()
        text = doc_text(doc)
        if not text:
            return doc
        self._doc = doc
        self._ctx = doc._.ctx
        self._agencies = kg_spans(doc, "AGENCY")
        self._regions = kg_spans(doc, "REGION")
        self._words = doc_words(doc)
        self._taken: list[tuple[int, int]] = [
            (s.start_char, s.end_char) for s in self._agencies
        ]
        people: list[_Person] = []
        known: set[str] = set()
        people += self._after_titles(text, known)
        people += self._before_titles(text, known, people)
        people += self._speakers(text, known, people)
        people += self._known(text, known, people)
        used = {(s.start_char, s.end_char) for s in kg_spans(doc)}
        for person in sorted(people, key=lambda p: p.start):
            if (person.start, person.end) in used:
                continue
            used.add((person.start, person.end))
            add_span(
                doc,
                person.start,
                person.end,
                LABEL,
                person.name,
                person.rule,
                posts=person.posts,
                roles_in_text=_roles(text, person.end),
                mention=person.name,
            )
        return doc

    # -- names ----------------------------------------------------------------------

    def _plausible(self, cand: str, start: int) -> bool:
        """Whether a string can be a person's full name (boundaries aside)."""
        if not all(_HAN.match(ch) for ch in cand) or len(cand) < 2:
            return False
        split = split_surname(cand)
        if split is None:
            if not self._nr(start, start + len(cand)):
                return False  # no surname: only jieba's person names (拜登)
        elif len(cand) == 4 and len(split[0]) != 2:
            return False
        if cand in self.stopwords or is_honorific_form(cand):
            return False
        surname = split_surname(cand)[0] if split_surname(cand) else cand[:1]
        if cand[len(surname) :].startswith(self.honorifics):
            return False  # 梁总|以, 高老板
        if len(cand) >= 3 and (
            _common_word(cand[len(surname) :]) or _common_word(cand[:2], 2000)
        ):
            return False  # 却|发现, 于|昨日, 向|大家, 银行|多, 相对|来
        if cand[-1] in _NOT_LAST or any(ch in _NOT_IN_NAME for ch in cand[1:]):
            return False
        if any(cand[k:] in self.titles for k in range(1, len(cand))):
            return False  # 谢主席, 王局长
        tag, freq = word_tag(cand), word_freq(cand)
        if (freq > 20 and not (tag or "").startswith("nr")) or freq > 500:
            return (
                False  # an ordinary word of jieba's dictionary (会议, 大家, 马力, 荣誉)
            )
        if cand[0] in _FUNCTION_FIRST and (
            (len(cand) == 2 and not self._nr(start, start + 2))
            or word_freq(cand[1:]) > 0
        ):
            return (
                False  # 从|警方, 有|消息, 向|晨报: a function word, not a surname here
            )
        if cand.startswith(self.prefixes) and split is None:
            return False  # 小慧, 老王
        if any(s < start + len(cand) and start < e for s, e in self._taken):
            return False
        return True

    def _right(self, text: str, pos: int) -> int:
        """_right_score, and another title right after (记者姚克勤通讯员李鸿光)."""
        score = _right_score(text, pos)
        if score < 2 and any(text.startswith(t, pos) for t in BYLINE_ROLES):
            score = 2
        return score

    def _name_at(self, text: str, pos: int, known: set[str]) -> tuple[int, int] | None:
        """The name starting at ``pos`` (after spaces), judged by what follows it: a
        clear end (punctuation, a word that follows names, another title) first; a
        name jieba or the article already knows breaks ties (李晓林|先生 over 李晓|林),
        and alone carries a name whose end is only a word boundary (奥巴马|最初)."""
        while pos < len(text) and text[pos] in " \u3000":
            pos += 1
        best: tuple[int, int] | None = None
        best_score = 0
        for size in (2, 3, 4):
            cand = text[pos : pos + size]
            if len(cand) < size or not self._plausible(cand, pos):
                continue
            right = self._right(text, pos + size)
            support = self._support(cand, pos, known)
            if right < 2 and support < 2:
                continue
            score = right * 10 + support
            if score > best_score:
                best, best_score = (pos, pos + size), score
        if best is not None and best[1] < len(text) and text[best[1]] in "·•‧":
            # a foreign name goes on after its dot (约翰·丁加特): take it whole
            m = re.match(
                r"[·•‧][\u4e00-\u9fff]{1,6}?(?=[^\u4e00-\u9fff]|"
                + _AFTER_RE.pattern
                + ")",
                text[best[1] :],
            )
            if m is None:
                return None
            best = (best[0], best[1] + m.end())
        return best

    def _support(self, cand: str, start: int, known: set[str]) -> int:
        score = 0
        if cand in known:
            score += 2
        if self._nr(start, start + len(cand)):
            score += 2  # jieba reads exactly this as a person's name
        return score

    # -- 1. title + name ------------------------------------------------------------

    def _title_ending(self, text: str, pos: int) -> tuple[int, str] | None:
        """The longest title ending at ``pos`` that does not cut into an agency, nor
        into a word (摄影|师, 老师|傅: jieba's word goes on)."""
        for size in range(min(self.max_title, pos), 0, -1):
            title = text[pos - size : pos]
            if title not in self.titles:
                continue
            start = pos - size
            if any(s < start < e or (start <= s and e <= pos) for s, e in self._taken):
                continue
            # the words are cut only here, where a title ends
            return (start, title) if self._words.is_bound(pos) else None
        return None

    def _nr(self, start: int, end: int) -> bool:
        """Whether jieba cuts characters start:end as one person-name word (nr…)."""
        tok = self._words.token(start, end)
        return tok is not None and tok[3].startswith("nr")

    def _org_ending(self, pos: int) -> Span | None:
        ending = [s for s in self._agencies if s.end_char == pos]
        return max(ending, key=lambda s: len(s), default=None)

    def _region_ending(self, text: str, pos: int):
        for span in self._regions:
            if span.end_char == pos and (span._.kg or {}).get("level") in (
                "country",
                "province",
                "prefecture",
                "county",
            ):
                rows = self.table.by_name(span._.kg["canonical"])
                if rows:
                    return span.start_char, rows[0]
        for size in range(min(self.max_alias, pos), 1, -1):
            rows = self.surfaces.get(text[pos - size : pos])
            if rows and (
                len(text[pos - size : pos]) >= 3
                or rows[0].level in ("country", "province")
            ):
                return pos - size, rows[0]
        return None

    def _chain(self, text: str, pos: int) -> list[_Item]:
        """The posts written right before a name at ``pos``, leftmost first."""
        items: list[_Item] = []
        while pos > 0 and text[pos - 1] in " \u3000":
            pos -= 1
        while True:
            found = self._title_ending(text, pos)
            if found is None:
                break
            tstart, title = found
            item = _Item(title, tstart)
            org = self._org_ending(tstart)
            left = tstart
            if org is not None:
                payload = org._.kg or {}
                item.org, item.org_mention = payload.get("canonical"), org.text
                item.parent, item.explicit = payload.get("parent"), True
                left = org.start_char
                _merge_title(item, self.titles)
            else:
                region = self._region_ending(text, tstart)
                if region is not None:
                    rstart, row = region
                    org_name = None
                    if row.level == "country" and row.name != CHINA:
                        org_name = row.name
                    elif row.level != "country" and title in _GOVERNMENT_TITLES:
                        org_name = expand_agency(row.name, "政府")
                    if org_name:
                        item.org, item.org_mention, item.explicit = (
                            org_name,
                            text[rstart:tstart],
                            True,
                        )
                        left = rstart
            if item.org is None and title in BYLINE_ROLES:
                paper = self._dateline_paper(text, tstart)
                if paper is not None:
                    item.org, item.org_mention, item.explicit = paper
            items.insert(0, item)
            pos = left
            if pos > 0 and text[pos - 1] in "、兼":  # 省委常委、宣传部部长兼…主任
                pos -= 1
                continue
            if pos > 1 and text[pos - 1] in ",，" and self._title_ending(text, pos - 1):
                pos -= 1
                continue
            break
        return items

    def _dateline_paper(self, text: str, pos: int) -> tuple[str, str, bool] | None:
        """The paper of a dateline the byline opens: 青海日报讯(记者 王菲菲)."""
        m = _DATELINE_OPEN.search(text, max(0, pos - 24), pos)
        if m is None or m.end() != pos:
            return None
        for span in reversed(self._agencies):
            payload = span._.kg or {}
            if (
                payload.get("kind") == "media"
                and m.start() - 16 <= span.end_char <= m.start()
            ):
                return payload.get("canonical"), span.text, True
        return None

    def _after_titles(self, text: str, known: set[str]) -> list[_Person]:
        out: list[_Person] = []
        last_org: tuple[int, str, str | None] | None = None  # (pos, org, mention)
        # every place where a title ends (an automaton over titles.tsv) and a name may start
        ends = {end + 1 for end, _ in self.title_ends.iter(text)}
        starts = sorted(i for i in ends if i < len(text) and self._title_ending(text, i))
        sentence_of = _sentence_starts(text)
        for p in starts:
            if out and p < out[-1].end:
                continue
            span = self._name_at(text, p, known)
            if span is None:
                continue
            items = self._chain(text, span[0])
            if not items:
                continue
            if all(self._weak(it.title) and not it.org for it in items) and not (
                _right_score(text, span[1]) >= 3
                or _SPEECH_RE.match(text, span[1])
                or self._nr(*span)
                or text[span[0] : span[1]] in known
            ):
                continue  # 职工|有针对性: a role noun is a weak anchor
            start, end = span
            name = text[start:end]
            sentence = sentence_of(start)
            prev = last_org if last_org and last_org[0] >= sentence else None
            posts = self._posts(items, prev)
            person = _Person(start, end, name, "persons.title_name", posts, items)
            out.append(person)
            known.add(name)
            self._taken.append((start, end))
            first = next((it for it in items if it.org), None)
            if first is not None:
                mention = first.org_mention
                if first.parent and mention:
                    mention = _strip_sub_body(mention)
                last_org = (start, first.parent or first.org, mention)
            # names listed after it share its posts (副主席刘若亮,董建中,王丽萍、张海兵)
            pos = end
            while pos < len(text) and text[pos] in ",，、 \u3000":
                nxt = self._name_at(text, pos + 1, known)
                if (
                    nxt is None
                    or self._title_ending(text, nxt[1])
                    and nxt[1] < len(text)
                    and text[nxt[1]] not in " \u3000,，、"
                ):
                    break
                if (
                    _right_score(text, nxt[1]) < 2
                    and text[nxt[0] : nxt[1]] not in known
                ):
                    break
                listed = text[nxt[0] : nxt[1]]
                out.append(
                    _Person(
                        nxt[0],
                        nxt[1],
                        listed,
                        "persons.listed",
                        [dict(p) for p in posts],
                        items,
                    )
                )
                known.add(listed)
                self._taken.append(nxt)
                pos = nxt[1]
        return out

    def _weak(self, title: str) -> bool:
        """Role nouns and staff words (党员, 职工, 负责人) anchor a name weakly."""
        row = self.titles.get(title)
        return title in self.role_nouns or (
            row is not None and row.rank_hint == "staff" and title not in BYLINE_ROLES
        )

    def _posts(
        self, items: list[_Item], prev: tuple[int, str, str | None] | None
    ) -> list[dict[str, Any]]:
        posts: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            title, org, mention = item.title, item.org, item.org_mention
            if org is None:
                org, mention = self._implied_org(title)
            if org is None:
                earlier = next((it for it in reversed(items[:i]) if it.org), None)
                if earlier is not None:
                    org, mention = earlier.org, earlier.org_mention
                    village = re.search(
                        r"驻(?:[\u4e00-\u9fff]{1,6}?[镇乡])?([\u4e00-\u9fff]{2,5}村)",
                        earlier.org or "",
                    )
                    if title == "第一书记" and village:
                        org = village.group(1)  # 驻村第一书记: a post of the village
                        mention = village.group(0)[1:]
            if org is None and prev is not None and len(items) == 1:
                org, mention = prev[1], prev[2]
            if title in self.role_nouns or (org is None and title in BYLINE_ROLES):
                continue  # 党员 is no post; a byline's paper is the report's to add
            if org is None and any(p["title"] == title for p in posts):
                continue
            post = {"title": title, "org": org, "org_mention": mention}
            if post not in posts:
                posts.append(post)
            item.org, item.org_mention = org, mention
        return posts

    def _implied_org(self, title: str) -> tuple[str | None, str | None]:
        rule = TITLE_ORGS.get(title)
        ctx = self._ctx
        if rule is None:
            return None, None
        kind, value = rule
        if kind == "fixed":
            return value, None
        if kind == "national":
            return expand_agency(None, value), None
        if ctx is None:
            return None, None
        region = {
            "province": ctx.home_province,
            "city": ctx.home_city,
            "county": ctx.home_county,
        }.get(kind)
        if not region:
            return None, None
        return expand_agency(region, value), None

    # -- 2. name + leader title -----------------------------------------------------

    def _before_titles(
        self, text: str, known: set[str], found: list[_Person]
    ) -> list[_Person]:
        out: list[_Person] = []
        pattern = re.compile("|".join(TITLES_AFTER_NAME))
        for m in pattern.finditer(text):
            t = m.start()
            best = None
            for size in (3, 2, 4):
                start = t - size
                if start < 0:
                    continue
                cand = text[start:t]
                if not self._plausible(cand, start) or _overlaps(found + out, start, t):
                    continue
                left = text[start - 1] if start > 0 else "\n"
                support = self._support(cand, start, known)
                if (
                    left in _LEFT_BOUND
                    or left in "把向对和与是及由为将让被同"
                    or support
                ):
                    best = (start, cand)
                    if support:
                        break
            if best is None:
                continue
            start, name = best
            org, mention = self._implied_org(m.group())
            posts = (
                [{"title": m.group(), "org": org, "org_mention": mention}]
                if org
                else []
            )
            out.append(_Person(start, t, name, "persons.name_title", posts))
            known.add(name)
            self._taken.append((start, t))
        return out

    # -- 3. quoted speakers -----------------------------------------------------------

    def _speakers(
        self, text: str, known: set[str], found: list[_Person]
    ) -> list[_Person]:
        out: list[_Person] = []
        for m in _SPEECH_RE.finditer(text):
            end = m.start()
            if not self._words.is_bound(end):
                continue  # 小说, 解说, 相对来说: no speech verb
            for size in (2, 3, 4):
                start = end - size
                if start < 0:
                    break
                left = text[start - 1] if start > 0 else "\n"
                if left not in _LEFT_BOUND:
                    continue
                cand = text[start:end]
                if _overlaps(found + out, start, end) or not self._plausible(
                    cand, start
                ):
                    break
                out.append(_Person(start, end, cand, "persons.speaker"))
                known.add(cand)
                self._taken.append((start, end))
                break
        return out

    # -- 4. later mentions of known names -----------------------------------------------

    def _known(self, text: str, known: set[str], found: list[_Person]) -> list[_Person]:
        out: list[_Person] = []
        for name in sorted(known, key=len, reverse=True):
            for m in re.finditer(re.escape(name), text):
                if _overlaps(found + out, m.start(), m.end()):
                    continue
                if any(s < m.end() and m.start() < e for s, e in self._taken):
                    continue
                out.append(_Person(m.start(), m.end(), name, "persons.known"))
        return out

    # -- hook for kg_ner (kg/ner/component.py) ----------------------------------------

    def judge_names(
        self, doc: Doc, spans: list[tuple[int, int]]
    ) -> list[dict[str, Any] | None]:
        """Names another component proposes (the trained NER), run through this
        component's name checks after it has run on the doc; for each, the PERSON
        payload (posts from the titles written right before it, roles) or None."""
        if self.titles is None:
            self.initialize()
        text = doc_text(doc)
        self._doc, self._ctx = doc, doc._.ctx
        self._agencies = kg_spans(doc, "AGENCY")
        self._regions = kg_spans(doc, "REGION")
        self._words = doc_words(doc)
        self._taken = [
            (s.start_char, s.end_char)
            for s in kg_spans(doc)
            if s.label_ in ("AGENCY", LABEL)
        ]
        out: list[dict[str, Any] | None] = []
        for start, end in spans:
            name = text[start:end]
            if not self._plausible(name, start):
                out.append(None)
                continue
            posts = self._posts(self._chain(text, start), None)
            out.append(
                {"posts": posts, "roles_in_text": _roles(text, end), "mention": name}
            )
        return out


#: Units at the end of an org that a title absorbs (市政协党组|书记 → 党组书记 of 市政协).
MERGE_HEADS = ("党支部", "党总支", "党组", "工作队", "工作组")


def _merge_title(item: _Item, titles: dict[str, Any]) -> None:
    """党组|书记 → 党组书记 of the body the 党组 is in; 党支部|书记 → 党支部书记,
    工作队|队长 → 工作队队长 of that unit."""
    mention = item.org_mention or ""
    heads = MERGE_HEADS + (("工会",) if item.parent else ())  # 该公司工会|主席
    for head in heads:
        if mention.endswith(head) and head + item.title in titles:
            item.title = head + item.title
            if head == "党组" and item.parent:
                item.org = item.parent
                item.org_mention = mention[: -len(head)]
                item.parent = None
            return


def _strip_sub_body(mention: str) -> str:
    """The parent's part of a sub-body's mention (省总工会经审会 → 省总工会)."""
    from kg.nlp.agencies import SUB_BODIES

    for word, _, _ in SUB_BODIES:
        if mention.endswith(word) and len(mention) > len(word):
            return mention[: -len(word)]
    return mention


def _common_word(word: str, noun_freq: int = 10000) -> bool:
    """Whether a two-character string is an ordinary word no given name is: a verb,
    adverb, time or function word of jieba's dictionary (发现, 昨日, 透露), or a very
    frequent noun (大家). Rarer nouns stay possible (思维 of 雷思维, 左权)."""
    if len(word) != 2 or word[0] == word[1]:
        return False  # 明明, 苗苗: reduplicated given names are common
    tag = word_tag(word)
    if tag is None or tag.startswith("nr"):
        return False
    freq = word_freq(word)
    if tag[0] in "vdtrpcufmq" or tag == "ad":
        return freq >= 300
    return freq >= noun_freq


def _right_score(text: str, pos: int) -> int:
    """How strongly the text at ``pos`` marks the end of a name."""
    if pos >= len(text) or not _HAN.match(text[pos]):
        return 3
    if _AFTER_RE.match(text, pos) or _COUNT_AFTER.match(text, pos):
        return 2
    return 0


def _overlaps(people: list[_Person], start: int, end: int) -> bool:
    return any(p.start < end and start < p.end for p in people)


def _sentence_starts(text: str):
    bounds = [0] + [m.end() for m in re.finditer(r"[。！？!?\n]", text)]

    def sentence_of(pos: int) -> int:
        best = 0
        for b in bounds:
            if b <= pos:
                best = b
            else:
                break
        return best

    return sentence_of


def _roles(text: str, end: int) -> list[str]:
    """The short verb phrase right after a name (出席会议并致辞), if it is a role."""
    rest = text[end : end + 40]
    for verb in ROLE_VERBS:
        if rest.startswith(verb):
            phrase = re.split(r"[,，。;；、!！?？\n(（“”]", rest)[0]
            return [phrase[:24]] if len(phrase) >= 2 else []
    return []


@Language.factory("kg_persons", assigns=["doc.spans"], requires=["doc.spans"])
def make_person_finder(nlp: Language, name: str) -> PersonFinder:
    """Named people with their posts, after kg_agencies."""
    return PersonFinder(nlp, name)
