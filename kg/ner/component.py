"""``kg_ner``: the trained NER over a doc; what the rules missed becomes kg spans.

The component runs after kg_regions, kg_agencies and kg_persons, so the rules keep
priority: a model entity that overlaps any span they found is dropped (their boundaries
and names are exact where they fire). What is left goes to the same resolvers as the
rule spans, and only what they confirm is added:

- **PERSON** → kg_persons' own name checks and post chains
  (``PersonFinder.judge_names``): the name must pass the tests of a rule name (a
  surname of surnames.txt or a jieba person name, no ordinary word, no surname +
  honorific …), start and end on jieba's word boundaries (the model reads 方|舒宁
  where jieba has 方舒宁) and not be one jieba word of another kind (强富/a); without
  a title before it, it needs a surname of surnames.txt (jieba's person tag alone
  reads 普惠 as a name). A title written right before it gives a post with the agency
  before the title (省总工会|主席|<name>), exactly as for a name the title rule found.
- **AGENCY**, **ORGANISATION** → an agency when the name ends in a known agency suffix
  (kg_agencies' name suffixes, the cores and abbreviations of agency_cores.tsv, unit
  words such as 工会, 管理处) and either starts with divisions (格尔木市|市政设施管理处:
  its region is the last one, the name is kept as written, as kg_agencies keeps a core
  written after a chain of regions) or, without a division, ends in a name-only suffix
  (公司, 集团, 大学, 局 …) after a stem with a proper word (jieba nz/nt/ns/nr/j/eng or a
  numeral) and none of kg_agencies' generic words: 创新|工会 and 公司|工会 are no
  bodies. A name without a division goes through ``expand_agency`` like any mention.
  An industry union (产业工会: a stem of sector words or their one-character
  abbreviations before 工会, 教科文卫|工会, 经贸|工会; not 农民工|工会) is a body of the
  federation of trade unions named last before it (省总工会 → 甘肃省教科文卫工会).
  A bare level word (省, 市) is left to the rules, which resolve it by context.
- **REGION** → a division of the table (its full name, or a short form of three or more
  characters: two-character ones are ordinary words too often, 平安, 东城), a 地区 of
  the country (西北地区, also when the model leaves 地区 out), or a foreign place right
  after its country (美国|旧金山, a jieba place name); named and coded from the table.
- **POSITION** spans are not added: titles come from titles.tsv.

Every span the component adds has the rule ``ner.<label>`` and ``ner: True`` in its
payload. The model (``kg/models/ner``) is loaded once per process; it has its own
tokenizer (one token per character, as the kg pipeline), so its offsets are the doc's.

Speed: the model reads every character, so it costs as much as all the rule components
together. ``prepare(docs)`` runs it over many docs at once (``process_page`` passes all
the titles and bodies of a page): the transition-based NER advances the states of a
batch together. Its matrix products go through numpy's OpenBLAS, held to one thread
while the model runs (the pipeline runs one process per core), instead of thinc's
default BLIS, which is 3–4 times slower on these shapes here (700×288 by 288×288:
20 GFLOPS against 76 on this machine's EPYC cores); the entities are the same.
"""

from __future__ import annotations

import ctypes
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch
from thinc.api import NumpyOps

from kg.ner import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)
from kg.nlp.spans import add_span, doc_text, kg_spans
from kg.nlp.words import doc_words

CHINA = "中华人民共和国"
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]+$")
_ORG_CHARS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")
#: Unit words an agency name may end in, beyond kg_agencies' name suffixes and the
#: agency lexicon (short and generic ones need the model's span to count).
UNIT_SUFFIXES = (
    "工会", "报社", "日报", "晚报", "电视台", "广播电视台", "出版社", "管理处", "管理所",
    "储配站", "服务站", "工作站", "工作室", "帮扶中心", "服务中心", "研究中心", "联合会",
    "促进会", "商会", "基金会", "代表团", "委员会", "办公室", "事务所", "研究所",
    "设计院", "科学院", "研究院", "检察院", "法院", "公安局", "分局", "支队", "大队",
    "中队", "派出所", "卫生院", "医院", "学校", "大学", "学院", "中学", "小学", "幼儿园",
    "集团", "公司", "银行", "协会", "学会", "论坛", "局",
)
#: Suffixes that make a name only (enterprises, institutions, associations): a unit word
#: such as 工会 or 办公室 after a stem with no division is too often a generic phrase.
_NAME_ONLY = ("公司", "集团", "银行", "大学", "学院", "研究院", "研究所", "医院", "协会",
              "学会", "论坛", "事务所", "日报", "晚报", "出版社", "电视台", "局")
#: jieba tags of proper words.
_PROPER = {"nz", "nt", "ns", "nr", "nrt", "nrfg", "j", "eng"}
#: The sectors industry unions (产业工会) are named after: the national ones of the
#: ACFTU (中国教科文卫体工会, 财贸轻纺烟草工会, 机械冶金建材工会, 能源化学地质工会,
#: 国防邮电工会, 海员建设工会, 农林水利气象工会, 交通运输工会, 金融工会, 教育工会) and
#: their counterparts under the provincial and city federations, as words and as the
#: one-character abbreviations contracted names are made of (教科文卫 = 教育 科技 文化
#: 卫生, 经贸 = 经济 贸易, 农林水 = 农业 林业 水利, 机冶建材, 能化地质).
SECTOR_WORDS = (
    "教育", "科技", "科教", "文化", "卫生", "体育", "文体", "财贸", "经贸", "商贸",
    "轻纺", "纺织", "烟草", "机械", "冶金", "建材", "能源", "化学", "化工", "地质",
    "国防", "邮电", "海员", "建设", "建筑", "农林", "水利", "气象", "交通", "运输",
    "金融", "铁路", "民航", "电力", "石油", "煤炭", "旅游", "医务",
)
SECTOR_CHARS = "教科文卫体财贸经商轻纺烟机冶建材能化农林水交运邮电金"
#: Region names the table cannot know that are still regions of kg (level other).
_AREA = re.compile(r"^(东北|西北|华北|华东|华南|华中|西南|东南|中西|西部|东部|中部)地区$")


#: Where ``prepare`` leaves a doc's model entities for ``__call__``.
ENTITIES_KEY = "kg.ner_entities"


@cache
def load_model(path: str | Path = MODEL_DIR) -> Language:
    """The trained NER pipeline (cached per path), its layers on numpy's BLAS when
    OpenBLAS can be held to one thread (see ``one_blas_thread``)."""
    nlp = spacy.load(Path(path))
    if _openblas() is not None:
        ops = NumpyOps(use_blis=False)
        for _, pipe in nlp.pipeline:
            for layer in pipe.model.walk():
                layer.ops = ops
    return nlp


#: OpenBLAS's (set, get) thread-count functions, by the names its builds export.
_OPENBLAS_SYMBOLS = (
    ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
    ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
    ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
    ("openblas_set_num_threads", "openblas_get_num_threads"),
)


@cache
def _openblas() -> tuple[Callable[[int], None], Callable[[], int]] | None:
    """The (set, get) thread functions of the OpenBLAS numpy has loaded, or None."""
    import numpy  # noqa: F401  (loads its BLAS)

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    libs = sorted({line.split(None, 5)[-1] for line in maps.splitlines()
                   if "openblas" in line.rsplit("/", 1)[-1].lower()})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _OPENBLAS_SYMBOLS:
            if hasattr(lib, set_name) and hasattr(lib, get_name):
                setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                setter.argtypes, setter.restype = [ctypes.c_int], None
                getter.argtypes, getter.restype = [], ctypes.c_int
                return setter, getter
    return None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """OpenBLAS on one thread for the duration (the model's products are small; a
    second thread only contends with the other processes of a build)."""
    funcs = _openblas()
    before = funcs[1]() if funcs is not None else 1
    if before != 1:
        funcs[0](1)
    try:
        yield
    finally:
        if before != 1:
            funcs[0](before)


def load_seconds(path: str | Path = MODEL_DIR) -> float:
    """Seconds to load the model from disk (uncached), for the model card and tests."""
    start = time.perf_counter()
    spacy.load(Path(path))
    return time.perf_counter() - start


@cache
def _agency_suffixes() -> tuple[str, ...]:
    from kg.nlp.agencies import NAME_SUFFIXES
    from kg.resources.lexicons import abbreviation_index, agency_cores

    words = {s for s, _, _ in NAME_SUFFIXES} | set(UNIT_SUFFIXES)
    for row in agency_cores():
        words.update(s for s in row.surfaces if len(s) >= 2)
    words.update(k for k in abbreviation_index() if len(k) >= 2)
    return tuple(sorted(words, key=len, reverse=True))


def agency_suffix(name: str) -> str | None:
    """The known agency suffix a name ends in (longest), or None."""
    return next(
        (s for s in _agency_suffixes() if name.endswith(s) and len(name) > len(s)), None
    )


class NerComponent:
    """Runs the trained model and adds the spans the rule components did not find."""

    def __init__(self, nlp: Language, name: str, model: str | None = None,
                 batch_size: int = 64) -> None:
        self.nlp = nlp
        self.name = name
        self.model_path = Path(model) if model else MODEL_DIR
        self.batch_size = batch_size
        self.model: Language | None = None
        self.table = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        from kg.resources.regions import load_regions

        self.model = load_model(self.model_path)
        self.table = load_regions()
        self.surfaces = self.table.surface_index()
        _agency_suffixes()

    def predict(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """The model's entities over each text, (start, end, label), read in batches."""
        if self.model is None:
            self.initialize()
        with one_blas_thread():
            return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                    for doc in self.model.pipe(texts, batch_size=self.batch_size)]

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """The model's entities over a text: (start, end, label)."""
        return self.predict([text])[0]

    def prepare(self, docs: Iterable[Doc]) -> None:
        """Run the model over many docs at once, before the pipeline runs over each:
        ``__call__`` then takes the entities left in the doc (the model reads only the
        text, so they are the same as one doc at a time)."""
        docs = [doc for doc in docs if doc_text(doc).strip()]
        for doc, ents in zip(docs, self.predict([doc_text(doc) for doc in docs]),
                             strict=True):
            doc.user_data[ENTITIES_KEY] = ents

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """spaCy's batch interface: the model over a batch, then the merge per doc."""
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            self.prepare(batch)
            yield from map(self, batch)

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            self.initialize()
        text = doc_text(doc)
        ents = doc.user_data.pop(ENTITIES_KEY, None)
        if not text.strip():
            return doc
        found = kg_spans(doc)
        persons: list[tuple[int, int]] = []
        for start, end, label in self.entities(text) if ents is None else ents:
            if any(s.start_char < end and start < s.end_char for s in found
                   if not (label in ("AGENCY", "ORGANISATION") and s.label_ == "REGION"
                           and start <= s.start_char and s.end_char < end)):
                continue  # the rules found something here: theirs stands
            if label == "PERSON":
                persons.append((start, end))
            elif label in ("AGENCY", "ORGANISATION"):
                self._agency(doc, start, end, label)
            elif label == "REGION":
                self._region(doc, start, end)
        if persons:
            self._persons(doc, persons)
        return doc

    # -- persons ----------------------------------------------------------------------

    def _persons(self, doc: Doc, spans: list[tuple[int, int]]) -> None:
        finder = self._person_finder()
        if finder is None:
            return
        from kg.resources.lexicons import split_surname

        text = doc_text(doc)
        words = doc_words(doc)

        def one_name(s: int, e: int) -> bool:
            # a name cut out of a word is a boundary error; a name jieba reads as one
            # word of another kind is that word (强富/a)
            word = words.token(s, e)
            return (_HAN_NAME.match(text[s:e]) is not None and 2 <= e - s <= 4
                    and words.is_bound(s) and words.is_bound(e)
                    and (word is None or word[3].startswith("nr")))

        spans = [(s, e) for s, e in spans if one_name(s, e)]
        for (start, end), payload in zip(spans, finder.judge_names(doc, spans),
                                         strict=True):
            name = text[start:end]
            if payload is None:
                continue
            if not payload["posts"] and split_surname(name) is None:
                continue  # without a title, a name needs a surname (jieba: 普惠/nr)
            add_span(doc, start, end, "PERSON", name, "ner.person", ner=True, **payload)

    def _person_finder(self):
        if "kg_persons" in self.nlp.pipe_names:
            return self.nlp.get_pipe("kg_persons")
        return None

    # -- agencies ---------------------------------------------------------------------

    def _agency(self, doc: Doc, start: int, end: int, label: str) -> None:
        from kg.resources.lexicons import agency_for, expand_agency

        surface = doc_text(doc)[start:end]
        if len(surface) < 4 or not _ORG_CHARS.match(surface):
            return
        suffix = agency_suffix(surface)
        if suffix is None:
            return
        region = None
        regions = [s for s in kg_spans(doc, "REGION")
                   if start <= s.start_char and s.end_char < end]
        if regions and regions[0].start_char == start:
            pos = start  # divisions written at its start: the last one is its region
            for span in regions:
                if span.start_char != pos:
                    break
                payload = span._.kg or {}
                if payload.get("level") in ("province", "prefecture", "county"):
                    region = payload.get("canonical")
                pos = span.end_char
            if pos >= end - len(suffix) and not surface.endswith(_NAME_ONLY):
                return  # division + core alone (兰州市政府): the agency rules' to name
            name = surface  # a name written after its divisions is kept as written
        elif surface.endswith("工会") and sector_stem(surface[:-2]):
            self._industry_union(doc, start, end, label)
            return
        elif surface[0] in "省市县区州" or not self._distinctive(doc, start, end, suffix):
            return  # a bare level word (the rules name those), or a generic stem
        else:
            try:
                name = expand_agency(None, surface)
            except ValueError:
                return
        row = agency_for(region, surface)
        kind = row.kind if row is not None else _suffix_kind(suffix)
        add_span(doc, start, end, "AGENCY", name, f"ner.{label.lower()}", kind=kind,
                 region=region, mention=surface, ner=True)

    def _industry_union(self, doc: Doc, start: int, end: int, label: str) -> None:
        """An industry union (教科文卫工会, 经贸工会) is a body of the federation of
        trade unions the text last named before it (省总工会 → 甘肃省教科文卫工会;
        中华全国总工会 → 中国教科文卫工会); with no federation before it, it is left
        out (its level is unknown)."""
        federation = None
        for span in kg_spans(doc, "AGENCY"):
            if span.start_char >= start:
                break
            payload = span._.kg or {}
            if span.end_char <= start and not payload.get("ner") and (
                    payload.get("canonical") or "").endswith("总工会"):
                federation = payload
        if federation is None:
            return
        surface = doc_text(doc)[start:end]
        prefix = federation["canonical"][:-len("总工会")]
        name = ("中国" if prefix == "中华全国" else prefix) + surface
        add_span(doc, start, end, "AGENCY", name, f"ner.{label.lower()}",
                 kind="union_mass_org", region=federation.get("region"),
                 mention=surface, ner=True)

    def _distinctive(self, doc: Doc, start: int, end: int, suffix: str) -> bool:
        """Whether a name without a division has a stem of its own: a suffix of an
        enterprise or institution (not a bare unit word: 创新|工会, 公司|工会) and a
        proper word of jieba (a name, place, abbreviation, Latin) or a numeral inside
        the stem, none of kg_agencies' generic words."""
        from kg.nlp.agencies import _GENERIC_STEM, _TYPE_WORDS

        if not suffix.endswith(_NAME_ONLY):
            return False
        stem_end = end - len(suffix)
        words = [(s, e, w, f) for s, e, w, f in doc_words(doc).tokens(start, stem_end)
                 if start <= s and e <= stem_end]
        if not words or words[0][0] != start:
            return False  # the span starts inside a word
        if any(w in _GENERIC_STEM or w in _TYPE_WORDS for _, _, w, _ in words):
            return False
        return any(f in _PROPER or f == "m" for _, _, _, f in words)

    # -- regions ----------------------------------------------------------------------

    def _region(self, doc: Doc, start: int, end: int) -> None:
        """A division the table knows (its full name or a short form of three or more
        characters: two-character short forms are ordinary words too often, 平安, 东城),
        a 地区 of the country (西北地区, also when the model leaves 地区 out), or a
        foreign place right after its country (美国|旧金山)."""
        text = doc_text(doc)
        surface = text[start:end]
        if text.startswith("地区", end) and _AREA.match(surface + "地区"):
            end, surface = end + 2, surface + "地区"  # the model reads 西北|地区
            if any(s.start_char < end and start < s.end_char for s in kg_spans(doc)):
                return
        rows = self.surfaces.get(surface)
        if rows:
            row = _closest(rows, doc._.ctx, self.table)
            if len(surface) < 3 and row.level not in ("country", "province"):
                return
            up = self.table.parent(row) if row.level != "country" else None
            add_span(doc, start, end, "REGION", row.name, "ner.region", level=row.level,
                     code=row.code, parent=up.name if up is not None else None,
                     mention=surface, ner=True)
        elif _AREA.match(surface):
            add_span(doc, start, end, "REGION", surface, "ner.region", level="other",
                     code=None, parent=CHINA, mention=surface, ner=True)
        else:
            country = next((s for s in kg_spans(doc, "REGION") if s.end_char == start
                            and (s._.kg or {}).get("level") == "country"), None)
            if country is None or country._.kg.get("canonical") == CHINA:
                return
            if doc_words(doc).token(start, end) != (start, end, surface, "ns"):
                return
            add_span(doc, start, end, "REGION", surface, "ner.region", level="other",
                     code=None, parent=country._.kg["canonical"], mention=surface,
                     ner=True)


def sector_stem(stem: str) -> bool:
    """Whether a stem of two or more characters is made only of sector words and
    sector abbreviations (教科文卫, 经贸, 农林水, 交通运输; not 农民工, 公司, 创新)."""
    if len(stem) < 2:
        return False
    ok = [True] + [False] * len(stem)  # ok[i]: stem[:i] is covered
    for i in range(len(stem)):
        if not ok[i]:
            continue
        if stem[i] in SECTOR_CHARS:
            ok[i + 1] = True
        for word in SECTOR_WORDS:
            if stem.startswith(word, i):
                ok[i + len(word)] = True
    return ok[-1]


def _closest(rows, ctx, table):
    """Of several divisions with one surface, the one in the paper's home province."""
    if ctx is not None and ctx.home_province and len(rows) > 1:
        for row in rows:
            names = {r.name for r in table.ancestors(row)} | {row.name}
            if ctx.home_province in names:
                return row
    return rows[0]


def _suffix_kind(suffix: str) -> str:
    from kg.nlp.agencies import NAME_SUFFIXES

    for word, kind, _ in NAME_SUFFIXES:
        if suffix.endswith(word):
            return kind
    if suffix.endswith(("工会", "联合会", "促进会", "商会", "协会")):
        return "union_mass_org"
    if suffix.endswith(("报社", "日报", "晚报", "电视台", "出版社")):
        return "media"
    if suffix.endswith(("局", "厅", "委员会", "办公室", "代表团", "派出所", "支队",
                        "大队", "中队")):
        return "government"
    if suffix.endswith(("院", "所", "站", "处", "中心", "学校", "中学", "小学", "幼儿园")):
        return "public_institution"
    return "other"


@Language.factory(
    "kg_ner",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"model": None, "batch_size": 64},
)
def make_ner(nlp: Language, name: str, model: str | None,
             batch_size: int) -> NerComponent:
    """The trained NER (kg/models/ner), after the rule components; ``batch_size``
    docs per model call in ``prepare`` and ``pipe``."""
    return NerComponent(nlp, name, model, batch_size)
