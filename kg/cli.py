"""The ``kg`` command: a thin layer over the library. Parse, call, report.

Every ``KGError`` becomes a one-line message on stderr and exit code 1
(2 for usage errors, as click does).
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path

import click

from kg.errors import KGError

log = logging.getLogger("kg")


def store_option(func):
    """``--store``: a directory (embedded Oxigraph, default .kg/) or an http(s) SPARQL endpoint."""
    return click.option("--store", "store", default=None, envvar="KG_STORE", metavar="DIR|URL",
                        help="Embedded store directory (default .kg/) or SPARQL endpoint URL.")(func)


def handles_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(1)
    return wrapper


@click.group()
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.version_option(package_name="footkg")
def cli(verbose: int) -> None:
    """footkg: Hebrew football news -> an RDF knowledge graph of entities and claims."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@handles_errors
def ingest(paths, store):
    """Read article files or folders into the store, one named graph per article.

    Example: kg ingest seeds/ --store .kg/
    """
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store

    st = open_store(store)
    report = run_ingest(paths, st, progress=sys.stderr.isatty())
    click.echo(f"stored {len(report.stored)} article(s): {report.claims} claims, "
               f"{report.quotes} quotes, {report.matches} matches")
    for path, message in report.failed:
        click.echo(f"failed: {message}", err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@store_option
@handles_errors
def remove(articles, store):
    """Retract articles (their named graphs) from the store, by IRI or source URL.

    Example: kg remove https://www.one.co.il/Article/512109.html
    """
    from kg.pipeline import remove as run_remove
    from kg.queries import Param, to_term
    from kg.store import open_store

    iris = [str(to_term(Param("article", "article", ""), a)) for a in articles]
    run_remove(open_store(store), iris)
    click.echo(f"removed {len(iris)} article graph(s)")


@cli.command()
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ntriples"]))
@click.option("-o", "--output", required=True, type=click.Path(), help="File to write.")
@store_option
@handles_errors
def export(fmt, output, store):
    """Write the whole graph (Turtle: the union; TriG/N-Quads keep the graphs apart).

    Example: kg export --format trig -o exports/kg.trig
    """
    from kg.export import export as run_export
    from kg.store import open_store

    size = run_export(open_store(store, read_only=True), fmt, output)
    click.echo(f"wrote {output} ({size:,} bytes)")


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="A query parameter (repeatable).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "turtle"]))
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@store_option
@handles_errors
def query(name, params, fmt, list_, store):
    """Run a named query from queries/ or any SPARQL file.

    Example: kg query quotes-by-speaker --param speaker=מאס
    """
    from kg.output import render
    from kg.queries import named_queries, run
    from kg.store import open_store

    if list_ or not name:
        for q in named_queries().values():
            args = " ".join(f"--param {p.name}=<{p.type}>" for p in q.params)
            click.echo(f"{q.name:28} {q.title}" + (f"\n{'':28}   {args}" if args else ""))
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected K=V, got {item!r}", param_hint="--param")
        values[key] = value
    result = run(open_store(store, read_only=True), name, values)
    click.echo(render(result, fmt), nl=False)


@cli.command()
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path())
@click.option("--focus", default=None, help="Entity (slug or label) to centre on.")
@click.option("--hops", default=2, show_default=True, type=int, help="With --focus: how far to go.")
@store_option
@handles_errors
def view(output, focus, hops, store):
    """Write the interactive HTML viewer (self-contained, works offline).

    Example: kg view -o graph.html --focus "ליאו מסי" --hops 2
    """
    from kg.store import open_store
    from kg.viewer import write_viewer

    info = write_viewer(open_store(store, read_only=True), output, focus=focus, hops=hops)
    click.echo(f"wrote {output} ({info})")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out", required=True, type=click.Path(), help="Output folder.")
@store_option
@handles_errors
def build(paths, out, store):
    """The main job: ingest, then write OUT/kg.ttl, OUT/kg.trig and OUT/graph.html.

    Without --store the graph is built in a fresh in-memory store, so the exports
    hold exactly the articles named. Example: kg build seeds/ --out exports/
    """
    from kg.export import export as run_export
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store
    from kg.viewer import write_viewer

    st = open_store(store or ":memory:")
    report = run_ingest(paths, st, progress=sys.stderr.isatty())
    for path, message in report.failed:
        click.echo(f"failed: {message}", err=True)
    out = Path(out)
    run_export(st, "turtle", out / "kg.ttl")
    run_export(st, "trig", out / "kg.trig")
    write_viewer(st, out / "graph.html")
    click.echo(f"built {len(report.stored)} article(s): {report.claims} claims, {report.quotes} quotes, "
               f"{report.matches} matches -> {out}/kg.ttl, kg.trig, graph.html")
    if report.failed:
        sys.exit(1)


@cli.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--by-rule", is_flag=True, help="Also print each rule's precision.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--misses/--no-misses", default=True, help="List missed and false items.")
@handles_errors
def eval_(gold, by_rule, as_json, misses):
    """Score extraction against gold files (a gold file or a folder of *.gold.yaml).

    Each gold file's article is the .txt beside it with the same stem, or the
    seeds/ article with the gold's url. Example: kg eval tests/gold/
    """
    from kg.evaluate import evaluate, format_report

    report = evaluate(gold)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(report, by_rule=by_rule, misses=misses))


@cli.command()
@store_option
@handles_errors
def validate(store):
    """Check the stored graph against the SHACL shapes (kg/data/shapes.ttl).

    Example: kg validate --store .kg/
    """
    from kg.store import open_store
    from kg.validate import validate_store

    conforms, text = validate_store(open_store(store, read_only=True))
    click.echo("conforms" if conforms else text)
    if not conforms:
        sys.exit(1)


@cli.command()
@handles_errors
def rules():
    """List the extraction rules with their ids and what they produce.

    Example: kg rules
    """
    from kg.rules import load_rules

    for r in load_rules().values():
        click.echo(f"{r.id:30} {r.family:14} {', '.join(r.produces)}")


def main() -> None:
    cli(prog_name="kg")
