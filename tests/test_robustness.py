"""Robustness (issue 9): bad inputs are refused by name, odd text extracts safely.

The matrix: page files that must be refused (empty, binary, truncated, mixed encodings,
too large) and files that must be read (UTF-16 without BOM, stray controls); a page
full of HTML and control characters; malformed gold files for ``kg eval`` and query
files for ``kg query``; and Hypothesis-generated newspaper-like text, on which ingest
and extraction raise nothing but KgError and every reported offset points at the
characters reported.
"""

from __future__ import annotations

import codecs
import json
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.cli import cli
from kg.errors import GoldError, InputError, KgError, QueryError
from kg.eval import load_report
from kg.graph.query import read_query
from kg.ingest import build_page, read_page
from kg.ingest.chars import normalise
from kg.ingest.decode import MAX_BYTES, MAX_LINE_CHARS, MAX_PAGE_CHARS, read_text
from kg.nlp.spans import kg_spans

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PAGE = (
    "## 甘肃基本医保参保率达99.12%\n"
    "本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从省医保局获悉,截至今年3月底,"
    "我省基本医疗保险参保人数2443.33万人,参保率达99.12%。\n"
)


# ------------------------------------------------------------ invariants


def check_page(page) -> None:
    """Every offset of a cut page lies inside its text and points at what it names."""
    text, original = page.text, page.original
    assert len(page.offsets) == len(text)
    previous = -1
    for i, ch in enumerate(text):
        at = page.offsets[i]
        assert previous < at < len(original), (i, at)
        previous = at
        source = original[at]
        # a space or block break stands for white space of the original
        assert ch == normalise(source) or (ch in " \n" and source.isspace()), (
            i,
            ch,
            source,
        )
    for article in page.articles:
        assert 0 <= article.start <= article.body_start < article.end <= len(text)
        assert article.body == text[article.body_start : article.end]
        if article.title_start >= 0:
            assert 0 <= article.title_start < article.title_end <= len(text)
        last = article.body_start
        for k, sentence in enumerate(article.sentences):
            assert sentence.index == k
            assert last <= sentence.start < sentence.end <= article.end
            assert text[sentence.start : sentence.end] == sentence.text
            last = sentence.end


def _inside_article(page, p) -> bool:
    article = page.articles[p.article]
    in_body = article.body_start <= p.start < p.end <= article.end
    in_title = article.title_start <= p.start < p.end <= article.title_end
    return in_body or in_title


def check_report(report, docs) -> None:
    """Entity, relation and figure offsets inside the text, at the reported surface."""
    page = report.page
    check_page(page)
    json.dumps(report.to_dict(), ensure_ascii=False)
    assert len(report.articles) == len(page.articles)
    for article, entry in zip(page.articles, report.articles, strict=True):
        body = page.original_span(article.body_start, article.end).replace("\n", "")
        assert entry["first_chars"] and body.startswith(entry["first_chars"]), (
            entry,
            body,
        )
    for item in docs:
        for doc, base in ((item.title, item.title_start), (item.body, item.body_start)):
            for span in kg_spans(doc) if doc is not None else ():
                start, end = base + span.start_char, base + span.end_char
                assert page.text[start:end] == span.text, (span.label_, span.text)
    for entities in report.entities.values():
        for entity in entities:
            for p in entity.provenance:
                assert _inside_article(page, p), (entity.name, p)
                sentence = (
                    page.articles[p.article].sentences[p.sentence]
                    if p.sentence >= 0
                    else None
                )
                assert sentence is None or sentence.start <= p.start < sentence.end
    for relation in report.relation_objects:
        assert _inside_article(page, relation.provenance), relation
    for figure in report.figure_objects:
        p = figure.provenance
        if p.start < 0:  # a title figure whose title is not in the clean text
            assert p.end < 0
            continue
        assert _inside_article(page, p), figure
        assert page.text[p.start : p.end] == figure.text, figure


def extract_checked(text: str, **kwargs):
    """kg.extract, with the pipeline's docs captured for the span checks."""
    import kg.nlp

    captured = []
    real = kg.nlp.process_page

    def spy(page, *args, **kw):
        docs = real(page, *args, **kw)
        captured.extend(docs)
        return docs

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kg.nlp, "process_page", spy)
        report = kg.extract(text, **kwargs)
    assert len(captured) == len(report.page.articles)  # the spy saw every article
    check_report(report, captured)
    return report


def one_line_error(result, *needles: str) -> str:
    """A CLI failure: exit status 1, one error line on stderr naming the problem."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "error: " in lines[0].lower()
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# ------------------------------------------------------------ page files refused


def _mixed() -> bytes:
    utf8 = "本报兰州讯 记者从省医保局获悉,参保率达99.12%。\n".encode()
    gbk = "省住建厅对积石山灾后恢复重建居民住房开展专项督查。\n".encode("gbk")
    return utf8 * 3 + gbk + utf8


# fmt: off
REFUSED = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\r\n\t \f", "empty"),
    ("ideographic-blank.txt", "\u3000\u3000\n \u3000\n".encode(), "empty"),
    ("bom-only.txt", codecs.BOM_UTF8, "empty"),
    ("utf16-bom-blank.txt", "  \n\u3000\n".encode("utf-16"), "empty"),
    ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(200), "PNG"),
    ("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
                b"endobj\n2 0 obj\n<< /Length 44 /Filter /FlateDecode >>\nstream\n"
                b"x\x9c\xcbH\xcd\xc9\xc9W(\xcf/\xcaI\x01\nendstream\n", "PDF"),
    ("elf.txt", b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00>\x00" * 40, "ELF"),
    ("zip.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"word/document.xml" * 20, "ZIP"),
    ("gzip.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xcbH\xcd\xc9" * 50, "gzip"),
    ("jpeg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "JPEG"),
    ("nul-bytes.txt", b"\x00".join(bytes([b]) for b in PAGE.encode()), "NUL"),
    ("truncated-utf8.txt", (PAGE + "中").encode()[:-1], "truncated"),
    ("truncated-utf8-two.txt", (PAGE + "新华社").encode()[:-2], "truncated"),
    ("truncated-gb18030.txt", (PAGE + "中").encode("gb18030")[:-1], "truncated"),
    ("truncated-gb18030-4byte.txt", (PAGE + "\U00020000").encode("gb18030")[:-2],
     "truncated"),
    ("mixed.txt", _mixed(), "mixes"),
]
# fmt: on


def _assert_one_line_naming(error: Exception, path, problem: str) -> None:
    """The error is one line: the file's path, then what is wrong with it."""
    message = str(error)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize("name,data,problem", REFUSED, ids=[r[0] for r in REFUSED])
def test_robustness_page_file_refused_naming_file_and_problem(
    tmp_path, name, data, problem
):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_page(path)
    _assert_one_line_naming(info.value, path, problem)


def test_robustness_mixed_encoding_names_the_lines():
    from kg.ingest.decode import decode_bytes

    with pytest.raises(InputError, match=r"line 4 .*GB18030.*line 1 .*UTF-8"):
        decode_bytes(_mixed(), "mixed.txt")


def test_robustness_utf8_lines_that_gb18030_would_misread_are_called_mixed():
    from kg.ingest.decode import decode_bytes

    data = "标题\n".encode("gbk") + "省医保局获悉参保人数\n".encode() * 2
    assert data.decode("gb18030")  # read whole as GB18030, the UTF-8 lines are mojibake
    with pytest.raises(
        InputError, match="line 1 is GB18030/GBK, while line 2 is UTF-8"
    ):
        decode_bytes(data, "mixed.txt")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_robustness_seed_pages_in_gbk_are_read_not_called_mixed(tmp_path, path):
    text = path.read_text("utf-8")
    gbk = tmp_path / path.name
    gbk.write_bytes(text.encode("gb18030"))
    assert read_text(gbk) == (text, "gb18030")


def test_robustness_truncated_file_says_where(tmp_path):
    data = (PAGE + "中").encode()[:-1]
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"UTF-8 character at byte {len(data) - 2}"):
        read_text(path)


# ------------------------------------------------------------ page files read


# fmt: off
READ = [
    ("utf16le-no-bom.txt", PAGE.encode("utf-16-le"), "utf-16-le"),
    ("utf16be-no-bom.txt", PAGE.encode("utf-16-be"), "utf-16-be"),
    ("utf8-stray-controls.txt", PAGE.replace("记者从", "记者\x00从\x1b").encode(), "utf-8"),
    ("gbk-with-ascii-lines.txt", ("## title\n" + PAGE).encode("gbk"), "gb18030"),
    ("utf8-one-nul-late.txt", (PAGE * 200 + "\x00" + PAGE).encode(), "utf-8"),
]
# fmt: on


@pytest.mark.parametrize("name,data,encoding", READ, ids=[r[0] for r in READ])
def test_robustness_page_file_read(tmp_path, name, data, encoding):
    path = tmp_path / name
    path.write_bytes(data)
    page = read_page(path)
    assert page.encoding == encoding
    assert page.articles and page.articles[0].title == "甘肃基本医保参保率达99.12%"
    check_page(page)


# ------------------------------------------------------------ size limits


def _nlp_must_not_run(monkeypatch):
    import kg.nlp

    def refuse(*args, **kwargs):
        raise AssertionError("the NLP ran on an oversized page")

    monkeypatch.setattr(kg.nlp, "process_page", refuse)


def test_robustness_50mb_single_line_refused_fast_with_bounded_memory(
    tmp_path, monkeypatch
):
    _nlp_must_not_run(monkeypatch)
    path = tmp_path / "huge.txt"
    chunk = ("参保率达99.12%" * 100_000).encode()
    with path.open("wb") as fh:
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    del chunk
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as info:
            kg.extract_file(path)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 0.5
    assert peak < 2**20  # the file is never read, let alone decoded
    assert str(info.value).startswith(f"{path}: ")
    assert f"{MAX_BYTES:,} bytes" in str(info.value)


LONG_LINE = "参保率达99.12%," * (MAX_LINE_CHARS // 11 + 1)


@pytest.mark.parametrize(
    "label,text,problem",
    [
        (
            "long-line",
            f"## 标题\n{LONG_LINE}\n",
            f"line 2 has {len(LONG_LINE):,} characters",
        ),
        (
            "long-page",
            PAGE * (MAX_PAGE_CHARS // len(PAGE) + 1),
            f"more than the {MAX_PAGE_CHARS:,}",
        ),
        ("ascii-long-line", "x" * (MAX_LINE_CHARS + 1), "line 1 has"),
    ],
    ids=["long-line", "long-page", "ascii-long-line"],
)
def test_robustness_oversized_text_refused_before_the_nlp(
    tmp_path, monkeypatch, label, text, problem
):
    _nlp_must_not_run(monkeypatch)
    path = tmp_path / f"{label}.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match=re.escape(problem)) as info:
        kg.extract_file(path)
    assert str(info.value).startswith(f"{path}: ")
    with pytest.raises(InputError, match=re.escape(problem)) as info:
        kg.extract(text, doc="pasted")
    assert str(info.value).startswith("pasted: ")
    assert time.perf_counter() - started < 1.0


def test_robustness_page_at_the_limits_is_ingested():
    line = ("参保率达99.12%," * (MAX_LINE_CHARS // 10))[:MAX_LINE_CHARS]
    text = ("## 标题\n" + line + "\n") * 10
    text = text[: MAX_PAGE_CHARS - 1] + "。"
    page = build_page(text, "limit.txt")
    assert len(page.original) == MAX_PAGE_CHARS
    assert page.articles


# ------------------------------------------------------------ HTML and control characters

HTML_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>甘肃日报</title>'
    "<script>var x = '<p>本报讯</p>';</script></head><body>\n"
    '<h1 class="title">甘肃基本医保参保率达99.12%</h1>\n'
    "<p>本报兰州讯(新甘肃·甘肃日报记者李永萍)记者从<b>省医保局</b>获悉,截至今年3月底,"
    "我省基本医疗保险参保人数2443.33万人&nbsp;,其中职工基本医疗保险参保人数398.74万人,"
    "城乡居民&amp;基本医疗保险参保人数2044.58万人,参保率达99.12%。</p>\n"
    "<p>\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f省医保局\u200b提前谋划,\ufeff成立工作专班,"
    "主动对接税务\u2028民政等部门\u2029,于2023年9月10日起\x85开启&#20840;省医保信息平台。"
    '</p><br/><div style="x">今年4月1日起,全省\x0c实现用人单位和参保个人\u00ad自行'
    "向税务部门申报缴纳医疗保险费,共有5.38万人\x1b[0m通过职工医保家庭共济账户成功代缴。</div>\n"
    "<table><tr><td>兰州市</td><td>1,234</td></tr></table>\r\n"
    "</body></html>\n"
)


def test_robustness_html_and_control_characters_extract_with_exact_offsets():
    report = extract_checked(HTML_PAGE, date="2024-06-05")
    page = report.page
    values = {(f.value, f.unit) for f in report.figure_objects}
    assert (99.12, "%") in values and (53800, "人") in values
    agencies = {e.name for e in report.entities["AGENCY"]}
    assert any("医疗保障局" in name for name in agencies), agencies
    agency = next(e for e in report.entities["AGENCY"] if "医疗保障局" in e.name)
    surfaces = {page.text[p.start : p.end] for p in agency.provenance}
    assert "省医保局" in surfaces


def test_robustness_html_page_file_with_a_few_controls_is_read(tmp_path):
    path = tmp_path / "page.html.txt"
    text = re.sub("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]+", "\x07", HTML_PAGE)
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    page = read_page(path)
    assert page.encoding == "utf-8-sig"
    check_page(page)


def test_robustness_first_chars_of_a_short_article_stay_inside_it():
    text = "## 标题一\n短文。\n## 标题二\n本报兰州讯 第二篇文章的正文比较长,超过二十个字符。\n"
    report = extract_checked(text)
    assert [a["first_chars"] for a in report.articles][:1] == ["短文。"]


# ------------------------------------------------------------ kg eval: malformed gold


# fmt: off
BAD_GOLD = [
    ("empty.json", b"", "is empty"),
    ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
    ("gbk.json", '{"doc": "甘肃.txt"}'.encode("gbk"), "not UTF-8"),
    ("not-json.json", b"doc: a.txt\npersons: []\n", "not valid JSON"),
    ("truncated.json", b'{"doc": "a.txt", "persons": [{"name": "', "not valid JSON"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested"),
    ("list.json", b'[{"doc": "a.txt"}]', "JSON object"),
    ("no-doc.json", b'{"persons": []}', "'doc'"),
    ("persons-object.json", b'{"doc": "a.txt", "persons": {"name": "x"}}',
     "'persons' must be a list"),
    ("name-number.json", b'{"doc": "a.txt", "persons": [{"name": 5}]}',
     "persons[0].name must be a string"),
    ("article-title-list.json", b'{"doc": "a.txt", "articles": [{"title": ["a"]}]}',
     "articles[0].title must be a string"),
    ("figure-unit-number.json", b'{"doc": "a.txt", "figures": [{"value": 1, "unit": 3}]}',
     "figures[0].unit must be a string"),
    ("figure-value-object.json", b'{"doc": "a.txt", "figures": [{"value": {"v": 1}}]}',
     "figures[0].value must be a number"),
    ("relation-missing-o.json", b'{"doc": "a.txt", "relations": [{"s": "A", "p": "part_of"}]}',
     "relations[0].o must be a string"),
    ("post-title-number.json",
     b'{"doc": "a.txt", "persons": [{"name": "A", "posts": [{"title": 1}]}]}',
     "persons[0].posts[0].title must be a string"),
    ("nan.json", b'{"doc": "a.txt", "figures": [{"value": NaN, "unit": "%"}]}', "NaN"),
]
# fmt: on


@pytest.mark.parametrize("name,data,problem", BAD_GOLD, ids=[g[0] for g in BAD_GOLD])
def test_robustness_malformed_gold_file_is_a_gold_error_naming_it(
    tmp_path, name, data, problem
):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(GoldError) as info:
        load_report(path)
    _assert_one_line_naming(info.value, path, problem)


def test_robustness_gold_file_with_a_utf8_bom_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(
        codecs.BOM_UTF8 + '{"doc": "a.txt", "persons": [{"name": "胡焯"}]}'.encode()
    )
    assert load_report(path)["persons"] == [{"name": "胡焯"}]


@pytest.mark.parametrize(
    "name,data,problem",
    [BAD_GOLD[1], BAD_GOLD[5], BAD_GOLD[9]],
    ids=["binary", "deep", "wrong-type"],
)
def test_robustness_kg_eval_on_a_malformed_gold_file_is_one_line(
    tmp_path, name, data, problem
):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "good.json").write_text('{"doc": "good.txt"}', "utf-8")
    (gold / name).write_bytes(data)
    reports = tmp_path / "reports"
    reports.mkdir()
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), str(reports)])
    one_line_error(result, name, problem)


# ------------------------------------------------------------ kg query: malformed files


@pytest.fixture(scope="module")
def tiny_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    path.write_text(
        "@prefix schema: <https://schema.org/> .\n"
        '<https://example.org/p/1> a schema:Person ; schema:name "雷思维" .\n',
        encoding="utf-8",
    )
    return path


# fmt: off
BAD_QUERIES = [
    ("syntax.rq", b"SELEC ?s WHERE { ?s ?p ?o }", "syntax error"),
    ("unclosed.rq", "SELECT ?s WHERE { ?s schema:name \"雷思维\" ".encode(), "syntax error"),
    ("empty.rq", b"", "is empty"),
    ("comment-only.rq", b"# nothing here\n\n", "is empty"),
    ("binary.rq", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("gbk.rq", "SELECT ?s WHERE { ?s ?p \"雷思维\" }".encode("gbk"), "not UTF-8"),
]
# fmt: on


@pytest.mark.parametrize(
    "name,data,problem", BAD_QUERIES, ids=[q[0] for q in BAD_QUERIES]
)
def test_robustness_malformed_query_file_is_a_query_error_naming_it(
    tmp_path, tiny_graph, name, data, problem
):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(QueryError) as info:
        read_query(path)
    assert str(info.value).startswith(f"{path}: ")
    assert problem in str(info.value)
    result = CliRunner().invoke(cli, ["query", str(tiny_graph), "-f", str(path)])
    one_line_error(result, str(path), problem)


def test_robustness_missing_query_file_is_one_line(tmp_path, tiny_graph):
    path = tmp_path / "nothere.rq"
    result = CliRunner().invoke(cli, ["query", str(tiny_graph), "-f", str(path)])
    one_line_error(result, "nothere.rq", "no such file")


def test_robustness_query_directory_is_one_line(tmp_path, tiny_graph):
    result = CliRunner().invoke(cli, ["query", str(tiny_graph), "-f", str(tmp_path)])
    one_line_error(result, str(tmp_path), "not a file")


def test_robustness_good_query_file_still_runs(tmp_path, tiny_graph):
    path = tmp_path / "names.rq"
    path.write_text(
        "# names\nSELECT ?n WHERE { ?p a schema:Person ; schema:name ?n }\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["query", str(tiny_graph), "-f", str(path)])
    assert result.exit_code == 0, result.output
    assert "雷思维" in result.stdout


# ------------------------------------------------------------ Hypothesis


def _seed_pieces() -> list[str]:
    """Lines of the seed pages cut into short pieces: headlines, leads, bylines, clauses."""
    pieces = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            if len(line) <= 60:
                pieces.append(line)
            else:
                pieces.extend(p + "。" for p in line.split("。") if 4 <= len(p) <= 80)
    return pieces[::3]


PIECES = _seed_pieces()
# fmt: off
NOISE = [
    *"，。、；：？！“”‘’《》（）【】—…·%‰℃０１２３４５６７８９ＡＢ",
    *"0123456789.,;:!?()[]<>&#/%+-*=_'\"",
    " ", "  ", "\t", "\n", "\n\n", "\r", "\u3000", "\u00a0",
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85",
    "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "\u00ad", "\ufffd", "\U00020000",
    "#", "## ", "□", "本报兰州讯", "新华社北京11月14日电", "记者 李永萍", "通讯员 乔洁",
    "(下转第二版)", "(上接第一版)", "骆烨 摄", "(宗和)", "<p>", "</p>", "&nbsp;", "&#20840;",
    "万元", "亿元", "同比增长", "截至今年3月底", "2024年", "6月4日", "省医保局", "兰州市",
    "副省长", "雷思维", "甘肃日报", "青海日报",
]
# fmt: on


@st.composite
def newspaper_text(draw, max_pieces: int = 6) -> str:
    """Seed pieces joined by line breaks, then a few insertions, deletions and breaks."""
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=max_pieces))
    joints = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "", "\n## ", "\n\n\n"]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    text = "".join(j + p for j, p in zip(joints, pieces, strict=True))
    for _ in range(draw(st.integers(0, 10))):
        op = draw(st.sampled_from(["insert", "insert", "delete", "break"]))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:pos] + draw(st.sampled_from(NOISE)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 12)) :]
        else:
            text = text[:pos] + "\n" + text[pos:]
    return text


#: Short pieces of any kind, strung together with no seed sentence to hold them.
NOISE_TEXT = st.lists(
    st.sampled_from([*NOISE, *"的是在了省市县局厅委会长记者讯报日月年万亿元人"]),
    max_size=40,
).map("".join)
ANY_TEXT = st.one_of(
    newspaper_text(),
    NOISE_TEXT,
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
)
FAST = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOW = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(text=ANY_TEXT)
def test_robustness_build_page_raises_only_kg_errors_and_keeps_offsets(text):
    try:
        page = build_page(text, "generated.txt")
    except KgError as exc:
        assert str(exc).startswith("generated.txt: ")
        return
    check_page(page)


@SLOW
@given(text=st.one_of(newspaper_text(max_pieces=5), NOISE_TEXT))
def test_robustness_extract_raises_only_kg_errors_and_keeps_offsets(text):
    try:
        extract_checked(text, publication="甘肃日报", date="2024-06-05")
    except KgError as exc:
        assert str(exc).startswith("<text>: ")


@FAST
@given(
    data=st.binary(max_size=300)
    | newspaper_text().flatmap(
        lambda t: st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]).map(
            lambda enc: t.encode(enc, errors="replace")
        )
    )
)
def test_robustness_decode_raises_only_input_errors(data):
    from kg.ingest.decode import decode_bytes

    try:
        text, encoding = decode_bytes(data, "generated.txt")
    except InputError as exc:
        assert str(exc).startswith("generated.txt: ")
        return
    assert text.strip()
    assert encoding in (
        "utf-8",
        "utf-8-sig",
        "gb18030",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
    )


ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "gb18030",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
]


@FAST
@given(text=newspaper_text(), encoding=st.sampled_from(ENCODINGS))
def test_robustness_decode_never_misreads_newspaper_text(text, encoding):
    """Read back in the encoding it was written in, or refused: never mojibake."""
    from kg.ingest.decode import decode_bytes

    if (
        text.startswith("\ufeff")
        or "\x00" in text
        or sum(not c.isascii() for c in text) < 10
    ):
        return  # a BOM character, NULs and tiny texts are ambiguous across encodings
    if encoding.startswith("utf-16-") and sum(c.isascii() for c in text) < 2:
        return  # without a BOM, UTF-16 is recognised by the NULs of ASCII characters
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        decoded, _ = decode_bytes(data, "generated.txt")
    except InputError:
        return
    assert decoded == text
