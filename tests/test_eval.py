"""The scorer follows SCHEMA.md's "How a report is scored", rule by rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import GoldError
from kg.eval import (
    LISTS,
    PREDICATES,
    Counts,
    EvalResult,
    format_table,
    load_report,
    normalise,
    score_dirs,
    score_file,
    to_json,
)

GOLD_DIR = Path(__file__).parents[2] / "shared" / "gold"


def doc(**lists: Any) -> dict[str, Any]:
    """A report (or gold) dict for one page with only the given lists filled in."""
    return {"doc": "x.txt", **lists}


def counts(c: Counts) -> tuple[int, int, int]:
    return (c.tp, c.n_pred, c.n_gold)


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------ Counts


@pytest.mark.parametrize(
    ("c", "p", "r", "f1"),
    [
        (Counts(0, 0, 0), 0.0, 0.0, 0.0),
        (Counts(0, 3, 0), 0.0, 0.0, 0.0),
        (Counts(0, 0, 3), 0.0, 0.0, 0.0),
        (Counts(2, 4, 2), 0.5, 1.0, 2 / 3),
        (Counts(3, 3, 3), 1.0, 1.0, 1.0),
    ],
)
def test_counts_define_zero_over_zero_as_zero(
    c: Counts, p: float, r: float, f1: float
) -> None:
    assert (c.precision, c.recall) == (p, r)
    assert c.f1 == pytest.approx(f1)


def test_counts_add_field_by_field() -> None:
    assert Counts(1, 2, 3) + Counts(4, 5, 6) == Counts(5, 7, 9)


# ------------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("《甘肃省医疗保障条例》", "甘肃省医疗保障条例"),
        ("“三农”工作", "三农工作"),
        ("「爱心甘肃」", "爱心甘肃"),
        ("『爱心』", "爱心"),
        ("'a' \"b\"", "ab"),
        ("‘爱心’", "爱心"),
        ("甘肃 省\t医保局\n", "甘肃省医保局"),
        ("ＡＢＣ１２３", "ABC123"),  # full-width forms fold under NFKC
        ("新甘肃　甘肃日报", "新甘肃甘肃日报"),  # ideographic space
    ],
)
def test_normalise_folds_width_quotes_and_spaces(a: str, b: str) -> None:
    assert normalise(a) == normalise(b) == b


def test_normalise_keeps_other_punctuation() -> None:
    assert normalise("新甘肃·甘肃日报") == "新甘肃·甘肃日报"


# ------------------------------------------------------------ entities


@pytest.mark.parametrize("key", ["persons", "agencies", "regions", "programs"])
def test_entity_strict_match_goes_through_normalisation(key: str) -> None:
    gold = doc(**{key: [{"name": "职工基本医疗保险"}, {"name": "城乡居民医保"}]})
    pred = doc(**{key: [{"name": "《职工 基本医疗保险》"}, {"name": "别的"}]})
    assert counts(score_file(gold, pred)[key]) == (1, 2, 2)


@pytest.mark.parametrize(
    ("pred_items", "gold_items", "strict", "surface"),
    [
        # name only in gold mentions: strict miss, surface hit
        (
            [{"name": "省医保局"}],
            [{"name": "甘肃省医疗保障局", "mentions": ["省医保局"]}],
            (0, 1, 1),
            (1, 1, 1),
        ),
        # prediction mention meets gold name
        (
            [{"name": "医保局", "mentions": ["甘肃省医疗保障局"]}],
            [{"name": "甘肃省医疗保障局"}],
            (0, 1, 1),
            (1, 1, 1),
        ),
        # mention meets mention, through normalisation
        (
            [{"name": "A", "mentions": ["“省医保局”"]}],
            [{"name": "B", "mentions": ["省医保局"]}],
            (0, 1, 1),
            (1, 1, 1),
        ),
        # two predictions sharing one gold item: the gold item counts once
        (
            [{"name": "省医保局"}, {"name": "医保局"}],
            [{"name": "甘肃省医疗保障局", "mentions": ["省医保局", "医保局"]}],
            (0, 2, 1),
            (1, 2, 1),
        ),
        # first-come pairing would give 甘肃省 to the muddled 我省 and leave
        # the right 甘肃省 unmatched; a maximum one-to-one matching finds both
        (
            [{"name": "我省", "mentions": ["我市"]}, {"name": "甘肃省"}],
            [
                {"name": "甘肃省", "mentions": ["我省"]},
                {"name": "兰州市", "mentions": ["我市"]},
            ],
            (1, 2, 2),
            (2, 2, 2),
        ),
        # no overlap at all
        (
            [{"name": "A", "mentions": ["B"]}],
            [{"name": "C", "mentions": ["D"]}],
            (0, 1, 1),
            (0, 1, 1),
        ),
    ],
)
def test_surface_match_uses_mentions_one_gold_item_at_most_once(
    pred_items: list[dict], gold_items: list[dict], strict: tuple, surface: tuple
) -> None:
    scores = score_file(doc(agencies=gold_items), doc(agencies=pred_items))
    assert counts(scores["agencies"]) == strict
    assert counts(scores["agencies:surface"]) == surface


def test_entities_are_sets_so_repeated_predictions_count_once() -> None:
    pred = doc(persons=[{"name": "胡焯"}, {"name": "胡 焯"}, {"name": "胡焯"}])
    scores = score_file(doc(persons=[{"name": "胡焯"}]), pred)
    assert counts(scores["persons"]) == (1, 1, 1)
    assert counts(scores["persons:surface"]) == (1, 1, 1)


def test_entities_without_a_name_are_not_counted() -> None:
    pred = doc(
        regions=[
            {"name": None},
            {"name": ""},
            {"mentions": ["甘肃"]},
            {"name": "甘肃省"},
        ]
    )
    assert counts(score_file(doc(regions=[{"name": "甘肃省"}]), pred)["regions"]) == (
        1,
        1,
        1,
    )


# ------------------------------------------------------------ posts


def test_posts_are_person_title_org_triples() -> None:
    gold = doc(
        persons=[
            {
                "name": "胡焯",
                "posts": [
                    {"title": "主席", "org": "甘肃省总工会", "org_mention": "省总工会"},
                    {"title": "副主任", "org": "甘肃省人民代表大会常务委员会"},
                ],
            }
        ]
    )
    pred = doc(
        persons=[
            {
                "name": "胡焯",
                "posts": [
                    {
                        "title": "主席",
                        "org": "甘肃省 总工会",
                    },  # right after normalisation
                    {
                        "title": "副主任",
                        "org": "省人大常委会",
                    },  # org mention instead of org: wrong
                ],
            },
            {
                "name": "沈左权",
                "posts": [{"title": "主席", "org": "甘肃省总工会"}],
            },  # wrong person
            {"name": "雷思维"},  # no posts: nothing predicted
        ]
    )
    assert counts(score_file(gold, pred)["posts"]) == (1, 3, 2)


# ------------------------------------------------------------ figures


@pytest.mark.parametrize(
    ("pred_figs", "gold_figs", "expected"),
    [
        (
            [{"value": 24433300, "unit": "人"}],
            [{"value": 24433300.0, "unit": "人"}],
            (1, 1, 1),
        ),
        ([{"value": 0.1 + 0.2, "unit": "%"}], [{"value": 0.3, "unit": "%"}], (1, 1, 1)),
        (
            [{"value": 24433301, "unit": "人"}],
            [{"value": 24433300, "unit": "人"}],
            (0, 1, 1),
        ),
        (
            [{"value": 99.12, "unit": "％"}],
            [{"value": 99.12, "unit": "%"}],
            (1, 1, 1),
        ),  # NFKC
        ([{"value": 5, "unit": "个"}], [{"value": 5, "unit": "家"}], (0, 1, 1)),
        ([{"value": 3, "unit": None}], [{"value": 3, "unit": None}], (1, 1, 1)),
        ([{"value": "2", "unit": "人"}], [{"value": 2, "unit": "人"}], (1, 1, 1)),
        ([{"value": "两", "unit": "人"}], [{"value": 2, "unit": "人"}], (0, 1, 1)),
        ([{"value": True, "unit": "人"}], [{"value": 1, "unit": "人"}], (0, 1, 1)),
        # duplicates: each gold figure is matched at most once (a multiset)
        ([{"value": 2, "unit": "人"}] * 3, [{"value": 2, "unit": "人"}], (1, 3, 1)),
        ([{"value": 2, "unit": "人"}], [{"value": 2, "unit": "人"}] * 2, (1, 1, 2)),
        ([{"value": 2, "unit": "人"}] * 2, [{"value": 2, "unit": "人"}] * 2, (2, 2, 2)),
    ],
)
def test_figures_match_value_and_unit_once_per_gold_figure(
    pred_figs: list[dict], gold_figs: list[dict], expected: tuple
) -> None:
    scores = score_file(doc(figures=gold_figs), doc(figures=pred_figs))
    assert counts(scores["figures"]) == expected


def test_figures_ignore_text_metric_and_date() -> None:
    gold = doc(
        figures=[
            {
                "text": "参保人数2443.33万人",
                "value": 24433300,
                "unit": "人",
                "date": "2024-03-31",
            }
        ]
    )
    pred = doc(
        figures=[{"text": "2443.33万", "value": 24433300, "unit": "人", "date": None}]
    )
    assert counts(score_file(gold, pred)["figures"]) == (1, 1, 1)


# ------------------------------------------------------------ relations


def test_relations_are_normalised_triples_with_per_predicate_counts() -> None:
    gold = doc(
        relations=[
            {"s": "胡焯", "p": "holds_post", "o": "主席@甘肃省总工会"},
            {"s": "甘肃省医疗保障局", "p": "located_in", "o": "甘肃省"},
            {"s": "兰州市", "p": "part_of", "o": "甘肃省"},
        ]
    )
    pred = doc(
        relations=[
            {"s": "胡焯", "p": "holds_post", "o": "主席@甘肃省 总工会"},  # right
            {
                "s": "胡焯",
                "p": "holds_post",
                "o": "主席@甘肃省总工会",
            },  # same triple again
            {"s": "甘肃省医疗保障局", "p": "part_of", "o": "甘肃省"},  # wrong predicate
            {"s": "兰州市", "p": "near", "o": "甘肃省"},  # unknown predicate
        ]
    )
    scores = score_file(gold, pred)
    assert counts(scores["relations"]) == (1, 3, 3)
    assert counts(scores["relations:holds_post"]) == (1, 1, 1)
    assert counts(scores["relations:located_in"]) == (0, 0, 1)
    assert counts(scores["relations:part_of"]) == (0, 1, 1)
    assert counts(scores["relations:near"]) == (0, 1, 0)
    assert counts(scores["relations:attended"]) == (0, 0, 0)


# ------------------------------------------------------------ articles


@pytest.mark.parametrize(
    ("pred_arts", "gold_arts", "expected"),
    [
        # title equality, through normalisation
        (
            [{"title": "甘肃基本医保参保率达99.12%", "first_chars": "whatever"}],
            [{"title": "甘肃基本医保 参保率达99.12％", "first_chars": "本报兰州讯"}],
            (1, 1, 1),
        ),
        # titled gold: first_chars alone is not enough
        (
            [{"title": None, "first_chars": "本报兰州讯(新甘肃·甘肃日报记者"}],
            [
                {
                    "title": "甘肃基本医保参保率达99.12%",
                    "first_chars": "本报兰州讯(新甘肃·甘肃日报记者",
                }
            ],
            (0, 1, 1),
        ),
        # null gold title: first 10 body characters decide, full-width folding included
        (
            [{"title": None, "first_chars": "（接1版）对困境儿童、农村XXXX"}],
            [{"title": None, "first_chars": "(接1版)对困境儿童、农村留守儿童、流动"}],
            (1, 1, 1),
        ),
        # null gold title: a predicted title does not hurt if the body start is right
        (
            [{"title": "图片新闻", "first_chars": "近日,环县万亩紫花苜蓿迎来"}],
            [{"title": None, "first_chars": "近日,环县万亩紫花苜蓿迎来头茬收割期。"}],
            (1, 1, 1),
        ),
        # null gold title: the 10th character differs
        (
            [{"title": None, "first_chars": "近日,环县万亩紫花X"}],
            [{"title": None, "first_chars": "近日,环县万亩紫花苜蓿"}],
            (0, 1, 1),
        ),
        # each gold article is matched at most once
        (
            [{"title": "标题"}, {"title": "标题"}],
            [{"title": "标题", "first_chars": "正文"}],
            (1, 2, 1),
        ),
        (
            [{"title": "标题"}, {"title": "标题"}],
            [
                {"title": "标题", "first_chars": "甲"},
                {"title": "标题", "first_chars": "乙"},
            ],
            (2, 2, 2),
        ),
    ],
)
def test_articles_match_by_title_or_by_first_chars_when_gold_title_is_null(
    pred_arts: list[dict], gold_arts: list[dict], expected: tuple
) -> None:
    assert (
        counts(score_file(doc(articles=gold_arts), doc(articles=pred_arts))["articles"])
        == expected
    )


# ------------------------------------------------------------ edge cases


@pytest.mark.parametrize(
    ("gold", "pred"),
    [
        (doc(), doc()),
        (doc(articles=[], persons=[], figures=[], relations=[]), doc()),
        (doc(), doc(articles=None, persons=None, figures=None)),
    ],
)
def test_empty_lists_give_zeros_not_errors(gold: dict, pred: dict) -> None:
    scores = score_file(gold, pred)
    assert set(LISTS) <= set(scores)
    for c in scores.values():
        assert counts(c) == (0, 0, 0)
        assert (c.precision, c.recall, c.f1) == (0.0, 0.0, 0.0)


def test_empty_prediction_against_gold_scores_zero_recall() -> None:
    gold = doc(
        persons=[{"name": "胡焯", "posts": [{"title": "主席", "org": "甘肃省总工会"}]}]
    )
    scores = score_file(gold, doc())
    assert counts(scores["persons"]) == (0, 0, 1)
    assert counts(scores["posts"]) == (0, 0, 1)


# ------------------------------------------------------------ loading


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"persons": []}', "'doc'"),
        ('{"doc": 3}', "'doc'"),
        ('{"doc": "x.txt", "persons": {}}', "'persons' must be a list"),
        ('{"doc": "x.txt", "figures": [1, 2]}', "figures[0] must be an object"),
        (
            '{"doc": "x.txt", "agencies": [{"name": "A", "mentions": "B"}]}',
            "agencies[0].mentions",
        ),
        (
            '{"doc": "x.txt", "persons": [{"name": "A", "posts": ["主席"]}]}',
            "persons[0].posts",
        ),
    ],
)
def test_malformed_report_raises_gold_error_naming_file_and_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "bad_report.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as info:
        load_report(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_unreadable_report_raises_gold_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    with pytest.raises(GoldError, match="missing.json"):
        load_report(path)


def test_load_report_returns_the_object(tmp_path: Path) -> None:
    data = doc(persons=[{"name": "胡焯"}])
    assert load_report(write(tmp_path / "r.json", data)) == data


# ------------------------------------------------------------ directories


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    d = tmp_path / "gold"
    d.mkdir()
    write(
        d / "a.json",
        {
            "doc": "a.txt",
            "persons": [{"name": "胡焯"}, {"name": "雷思维"}],
            "articles": [{"title": "T1", "first_chars": "x"}],
        },
    )
    write(
        d / "b.json",
        {
            "doc": "b.txt",
            "persons": [{"name": "乔洁"}],
            "articles": [{"title": "T2", "first_chars": "y"}],
        },
    )
    (d / "SCHEMA.md").write_text("not json", encoding="utf-8")
    return d


def test_score_dirs_pairs_by_doc_and_micro_averages(
    gold_dir: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    # file names differ from the gold's: pairing goes by the doc key
    write(reports / "report-1.json", {"doc": "a.txt", "persons": [{"name": "胡焯"}]})
    write(
        reports / "report-2.json",
        {"doc": "seeds/b.txt", "persons": [{"name": "乔洁"}, {"name": "X"}]},
    )
    result = score_dirs(gold_dir, reports)
    assert isinstance(result, EvalResult)
    assert set(result.per_file) == {"a.txt", "b.txt"}
    assert counts(result.per_file["a.txt"]["persons"]) == (1, 1, 2)
    assert counts(result.per_file["b.txt"]["persons"]) == (1, 2, 1)
    # micro: 2/3 and 2/3, not the mean of per-file scores
    assert counts(result.total["persons"]) == (2, 3, 3)
    assert result.missing == [] and result.unmatched == []


def test_score_dirs_counts_missing_report_as_all_missed_and_lists_it(
    gold_dir: Path, tmp_path: Path
) -> None:
    only = write(tmp_path / "a.json", {"doc": "a.txt", "persons": [{"name": "胡焯"}]})
    stray = write(
        tmp_path / "z.json", {"doc": "zzz.txt", "persons": [{"name": "胡焯"}]}
    )
    result = score_dirs(gold_dir, [only, stray])
    assert result.missing == ["b.txt"]
    assert result.unmatched == [str(stray)]
    assert counts(result.per_file["b.txt"]["persons"]) == (0, 0, 1)
    assert counts(result.per_file["b.txt"]["articles"]) == (0, 0, 1)
    assert counts(result.total["persons"]) == (
        1,
        1,
        3,
    )  # the stray report is not scored


def test_score_dirs_rejects_two_reports_for_one_doc(
    gold_dir: Path, tmp_path: Path
) -> None:
    write(tmp_path / "r1.json", {"doc": "a.txt"})
    second = write(tmp_path / "r2.json", {"doc": "a.txt"})
    with pytest.raises(GoldError, match="r2.json"):
        score_dirs(gold_dir, [tmp_path / "r1.json", second])


def test_score_dirs_names_a_malformed_report(gold_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"doc": "a.txt", "relations": "none"}', encoding="utf-8")
    with pytest.raises(GoldError, match="broken.json"):
        score_dirs(gold_dir, bad)


def test_format_table_and_json_carry_totals_and_per_file_recall(
    gold_dir: Path, tmp_path: Path
) -> None:
    write(
        tmp_path / "a.json",
        {"doc": "a.txt", "articles": [{"title": "T1"}], "persons": [{"name": "胡焯"}]},
    )
    result = score_dirs(gold_dir, tmp_path / "a.json")
    table = format_table(result)
    lines = table.splitlines()
    assert lines[0].split() == ["list", "P", "R", "F1", "tp", "pred", "gold"]
    persons = next(line for line in lines if line.startswith("persons "))
    assert persons.split() == ["persons", "1.000", "0.333", "0.500", "1", "1", "3"]
    assert any(line.startswith("a.txt") and "1/1" in line for line in lines)
    assert any(
        line.startswith("b.txt") and "0/1" in line and "no report" in line
        for line in lines
    )
    # columns line up: every total row is as wide as the header
    rows = lines[2 : 2 + len(result.total)]
    assert {len(row) for row in rows} == {len(lines[0])}

    data = to_json(result)
    json.dumps(data)  # serialisable
    assert data["total"]["persons"] == {
        "tp": 1,
        "pred": 1,
        "gold": 3,
        "precision": 1.0,
        "recall": pytest.approx(1 / 3),
        "f1": 0.5,
    }
    assert data["per_file"]["b.txt"]["articles"]["gold"] == 1
    assert data["missing"] == ["b.txt"]
    assert set(f"relations:{p}" for p in PREDICATES) <= set(data["total"])


# ------------------------------------------------------------ real gold


def _gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.json")) if GOLD_DIR.is_dir() else []


@pytest.mark.skipif(
    not _gold_files(), reason=f"no gold files in {GOLD_DIR} (../shared/gold)"
)
@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.name)
def test_each_gold_file_scored_against_itself_is_perfect(path: Path) -> None:
    gold = load_report(path)
    scores = score_file(gold, gold)
    non_empty = {key: c for key, c in scores.items() if c.n_gold}
    assert {"articles", "persons", "relations"} <= set(non_empty)
    for key, c in non_empty.items():
        assert c.f1 == 1.0, f"{path.name} {key}: {c}"
    for key, c in scores.items():
        assert c.n_pred == c.n_gold, f"{path.name} {key}: {c}"


@pytest.mark.skipif(
    not _gold_files(), reason=f"no gold files in {GOLD_DIR} (../shared/gold)"
)
def test_gold_directory_scored_against_itself_is_perfect() -> None:
    result = score_dirs(GOLD_DIR, GOLD_DIR)
    assert result.missing == [] and result.unmatched == []
    assert all(c.f1 == 1.0 for c in result.total.values() if c.n_gold)
