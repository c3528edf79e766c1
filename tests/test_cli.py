"""The kg command: build, extract and eval on real pages; bad files named, others built."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_cli_build_writes_reports_articles_and_summary(runner, tmp_path, seed_paths):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(seed_paths[0].parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 files" in result.output
    reports = sorted((out / "reports").glob("*.json"))
    assert [r.stem for r in reports] == [p.stem for p in seed_paths]
    report = json.loads(reports[0].read_text("utf-8"))
    assert report["doc"] == seed_paths[0].name
    assert report["publication"]["name"] == "甘肃日报"
    assert len(report["articles"]) >= 8
    rows = (out / "articles.jsonl").read_text("utf-8").splitlines()
    assert len(rows) == json.loads((out / "summary.json").read_text("utf-8"))["articles"]


def test_cli_build_writes_one_csv_row_per_figure_with_its_sentence(runner, tmp_path, seed_paths):
    import csv

    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(seed_paths[0]), "-o", str(out)]).exit_code == 0
    with (out / "figures.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    report = json.loads((out / "reports" / f"{seed_paths[0].stem}.json").read_text("utf-8"))
    assert len(rows) == len(report["figures"]) > 10
    first = next(r for r in rows if r["text"].startswith("参保率达99.12%") or "99.12" in r["text"])
    assert first["unit"] == "%" and float(first["value"]) == 99.12
    assert "99.12%" in first["sentence"] and first["doc"] == seed_paths[0].name


def test_cli_build_names_a_bad_file_and_still_builds_the_rest(runner, tmp_path, seed_paths):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_bytes(seed_paths[0].read_bytes())
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "image.txt").write_bytes(b"\x89PNG\x00\x00\x00" * 50)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "old.json").write_text("{}", "utf-8")
    result = runner.invoke(cli, ["build", str(inputs), "-o", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.output
    assert "image.txt: looks binary" in result.output
    assert (out / "reports" / "good.json").is_file()
    assert (out / "reports" / "old.json").read_text("utf-8") == "{}"  # nothing lost
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["files"] == 1 and len(summary["rejected"]) == 2
    assert not list(out.rglob("*.tmp"))


def test_cli_build_with_no_inputs_is_one_clear_error(runner, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = runner.invoke(cli, ["build", str(empty), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "no input files found" in result.output
    assert "Traceback" not in result.output


def test_cli_extract_json_follows_the_schema(runner, seed_paths):
    result = runner.invoke(cli, ["extract", str(seed_paths[2]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"doc", "publication", "articles", "persons", "agencies", "regions",
                         "programs", "figures", "relations"}
    assert data["publication"] == {"name": "青海日报", "region": "青海省", "date": None}


def test_cli_extract_options_override_the_masthead(runner, tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("本报讯 (记者 郑苗苗) 11月14日,市政协召开会议。", "utf-8")
    result = runner.invoke(cli, ["extract", str(page), "--json", "--publication", "大同日报",
                                 "--region", "大同市", "--date", "2023-11-15"])
    data = json.loads(result.output)
    assert data["publication"] == {"name": "大同日报", "region": "大同市", "date": "2023-11-15"}


def test_cli_eval_prints_a_table_of_scores(runner, tmp_path, seed_paths, gold_dir):
    out = tmp_path / "out"
    runner.invoke(cli, ["build", str(seed_paths[0].parent), "-o", str(out)])
    result = runner.invoke(cli, ["eval", "--gold", str(gold_dir), str(out / "reports")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[:4] == ["list", "P", "R", "F1"]
    scores = json.loads(runner.invoke(cli, ["eval", "--gold", str(gold_dir),
                                            str(out / "reports"), "--json"]).output)
    assert scores["total"]["articles"]["recall"] >= 0.9


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_cli_every_command_has_help_with_an_example(runner, name):
    command = cli.commands[name]
    assert command.help and "Example:" in command.help
    assert runner.invoke(cli, [name, "--help"]).exit_code == 0


def test_api_extract_returns_a_report_of_articles():
    text = "## 雷思维在兰州新区调研\n\n本报兰州讯(新甘肃·甘肃日报记者薛砚)6月4日,副省长雷思维深入兰州新区调研。"
    report = kg.extract(text, date="2024-06-05")
    data = report.to_dict()
    assert data["publication"]["name"] == "甘肃日报"
    assert data["articles"][0]["title"] == "雷思维在兰州新区调研"
    assert data["articles"][0]["bylines"] == [{"name": "薛砚", "role": "记者"}]
    assert data["articles"][0]["dateline_date"] == "2024-06-04"
