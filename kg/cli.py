"""The ``kg`` command: extract, build, eval. Each turns a KgError into one clear line."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import KgError


def _one_line_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; a KgError becomes ``kg: error: …`` and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KgError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _context_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--publication, --region, --date: for texts whose masthead is lost."""
    for decorator in reversed((
        click.option("--publication", help="Newspaper name, e.g. 甘肃日报 (overrides inference)."),
        click.option("--region", help="Home region of the paper, e.g. 甘肃省."),
        click.option("--date", "date", help="Issue date, YYYY-MM-DD (resolves 今年, 去年 …)."),
    )):
        fn = decorator(fn)
    return fn


@click.group()
@click.version_option(package_name="kg")
def cli() -> None:
    """kg: knowledge graphs of officials, agencies, regions, programs and figures
    from Chinese government news pages."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="Write one <name>.json report per file into this folder.")
@_context_options
@_one_line_errors
def extract(files: tuple[Path, ...], as_json: bool, out: Path | None, publication: str | None,
            region: str | None, date: str | None) -> None:
    """Extract a report (SCHEMA.md format) from each page file.

    Example: kg extract seeds/000_01d39a0b178f4c28.txt --json
    """
    from kg.build import extract_all
    from kg.io import write_json

    failed = 0
    for path, report, error in extract_all(list(files), publication, region, date):
        if error is not None:
            click.echo(f"kg: error: {error}", err=True)
            failed += 1
            continue
        assert report is not None
        data = report.to_dict()
        if out is not None:
            write_json(out / f"{path.stem}.json", data)
        if as_json or out is None:
            if as_json:
                click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                for a in data["articles"]:
                    click.echo(f"{report.doc}\t{a['kind']}\t{a['title'] or '—'}\t{a['first_chars']}")
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("outputs"),
              show_default=True, help="Output folder.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: on long inputs at a terminal).")
@_context_options
@_one_line_errors
def build(inputs: tuple[Path, ...], out: Path, progress: bool | None, publication: str | None,
          region: str | None, date: str | None) -> None:
    """Run the whole pipeline on files or folders and write OUT.

    Example: kg build seeds -o outputs
    """
    from kg.build import build as run_build

    summary = run_build(inputs, out, publication, region, date, progress)
    for bad in summary.rejected:
        click.echo(f"kg: error: {bad['error']}", err=True)
    click.echo(summary.line())
    if summary.rejected:
        sys.exit(1)


@cli.command(name="eval")
@click.option("--gold", "gold_dir", required=True, type=click.Path(path_type=Path, exists=True,
              file_okay=False), help="Folder of gold files (SCHEMA.md).")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@_one_line_errors
def eval_cmd(gold_dir: Path, reports: tuple[Path, ...], as_json: bool) -> None:
    """Score reports against gold files: precision, recall and F1 per list.

    REPORTS are report files or folders (default: outputs/reports).

    Example: kg eval --gold ../shared/gold outputs/reports
    """
    from kg.eval import format_table, score_dirs, to_json

    result = score_dirs(gold_dir, list(reports) or [Path("outputs/reports")])
    if as_json:
        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result))


@cli.command()
@click.argument("location", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path),
              help="Read the query from a .rq file (a bare name is looked up in queries/).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output format.")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable before evaluation (repeatable), e.g. "
                   "label=省医保局; <iri> or prefix:name give an IRI.")
@_one_line_errors
def query(location: Path, sparql: str | None, query_file: Path | None, fmt: str,
          binds: tuple[str, ...]) -> None:
    """Run a SPARQL query on the graph a build wrote (LOCATION: its folder, or a .trig/.ttl
    file) and print the results as a table, CSV or JSON.

    The union of all graphs is the default graph and kg's prefixes are predeclared.

    Example: kg query outputs -f queries/entity_statements.rq --bind label=省医保局

    Or: kg query outputs --format csv 'SELECT ?n WHERE { ?p a schema:Person ; skos:prefLabel ?n }'
    """
    from kg.errors import QueryError
    from kg.graph.query import format_result, parse_bindings, read_query, run_query
    from kg.graph.store import load_dataset

    if (sparql is None) == (query_file is None):
        raise QueryError("give either a SPARQL query or -f FILE.rq")
    text = read_query(query_file) if query_file is not None else sparql
    assert text is not None
    result = run_query(load_dataset(location), text, parse_bindings(list(binds)))
    output = format_result(result, fmt)
    click.echo(output, nl=not output.endswith("\n"))


@cli.command()
@click.argument("location", type=click.Path(path_type=Path))
@_one_line_errors
def validate(location: Path) -> None:
    """Check the graph a build wrote (LOCATION: its folder, or a .trig/.ttl file) against
    the SHACL shapes of ontology/shapes.ttl; print pyshacl's report, exit 1 on violations.

    Example: kg validate outputs
    """
    from kg.graph.validate import validate_dir

    outcome = validate_dir(location)
    click.echo(outcome.text.rstrip())
    if not outcome.conforms:
        sys.exit(1)

def main() -> None:  # pragma: no cover - console entry
    cli()
