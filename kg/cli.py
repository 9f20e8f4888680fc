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


def wait_option(func):
    """``--wait``: how long a writer waits for another process's lock on the store."""
    return click.option("--wait", "wait", default=60.0, show_default=True, type=click.FloatRange(min=0),
                        metavar="SECONDS",
                        help="Wait this long for another kg process writing to the store, then fail.")(func)


def limit_options(func):
    """``--max-bytes`` and ``--time-limit``: what one article file may cost."""
    from kg.model import Limits

    func = click.option("--max-bytes", "max_bytes", default=Limits.max_bytes, show_default=True,
                        type=click.IntRange(min=0), metavar="BYTES",
                        help="Refuse article files larger than this (0: no limit).")(func)
    return click.option("--time-limit", "time_limit", default=Limits.seconds, show_default=True,
                        type=click.FloatRange(min=0), metavar="SECONDS",
                        help="Skip an article whose extraction takes longer (0: no limit).")(func)


def jobs_option(func):
    """``--jobs``: how many processes extract articles (one writes the store)."""
    return click.option("--jobs", "jobs", default=None, type=click.IntRange(min=1), metavar="N",
                        help="Extract in N processes (default: one per core).")(func)


def _jobs(jobs: int | None) -> int:
    from kg.pipeline import default_jobs

    return jobs or default_jobs()


def _limits(max_bytes: int, time_limit: float):
    from kg.model import Limits

    return Limits(max_bytes=max_bytes or None, seconds=time_limit)


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
@wait_option
@limit_options
@jobs_option
@click.option("--force", is_flag=True, help="Extract every file, also those stored unchanged.")
@handles_errors
def ingest(paths, store, wait, max_bytes, time_limit, jobs, force):
    """Read article files or folders into the store, one named graph per article.

    Articles are extracted in --jobs processes and written, in file order, by one; a
    file stored already with the same bytes and rule-set version is skipped (--force
    extracts it again, e.g. after a catalogue edit).
    Example: kg ingest seeds/ --store .kg/ --jobs 2
    """
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store

    st = open_store(store, wait=wait)
    report = run_ingest(paths, st, progress=sys.stderr.isatty(), limits=_limits(max_bytes, time_limit),
                        jobs=_jobs(jobs), force=force)
    summary = (f"stored {len(report.stored)} article(s): {report.claims} claims, "
               f"{report.quotes} quotes, {report.matches} matches")
    if report.unchanged:
        summary += f"; {len(report.unchanged)} unchanged (not extracted again)"
    if report.failed:
        summary += f"; {len(report.failed)} file(s) failed"
    if report.skipped:
        summary += f"; skipped {len(report.skipped)} file(s) that are not .txt"
    click.echo(summary)
    for path in report.skipped:
        log.info("skipped (not .txt): %s", path)
    for path, message in report.failed:  # one line a rejected file
        click.echo(f"failed: {message}", err=True)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@store_option
@wait_option
@handles_errors
def remove(articles, store, wait):
    """Retract articles (their named graphs) from the store, by IRI or source URL.

    Example: kg remove https://www.one.co.il/Article/512109.html
    """
    from kg.errors import ArticleError
    from kg.pipeline import remove as run_remove
    from kg.queries import Param, to_term
    from kg.store import open_store

    iris = list(dict.fromkeys(str(to_term(Param("article", "article", ""), a)) for a in articles))
    st = open_store(store, wait=wait)
    try:
        stored = set(st.graphs())
        missing = [iri for iri in iris if iri not in stored]
        if missing:  # nothing is removed then
            raise ArticleError(f"not in the store, nothing removed: {', '.join(missing)}")
        run_remove(st, iris)
    finally:
        st.close()  # frees the store's lock at once (this process may open it again)
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
              type=click.Choice(["table", "csv", "tsv", "json", "turtle"]),
              help="table (Hebrew kept readable), csv, tsv (one row a line), json (SPARQL 1.1 "
                   "results JSON), turtle (CONSTRUCT/DESCRIBE).")
@click.option("--list", "list_", is_flag=True, help="List the named queries: name, title, parameters.")
@store_option
@handles_errors
def query(name, params, fmt, list_, store):
    """Run a named query from queries/ or any SPARQL file.

    An entity parameter takes a slug or any label, Hebrew or English; values
    are bound, never spliced into the query. Example:
    kg query quotes-by-speaker --param speaker=מאס
    """
    from kg.output import query_list, render
    from kg.queries import named_queries, run
    from kg.store import open_store

    if list_ or not name:
        click.echo(query_list(named_queries().values()), nl=False)
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected K=V, got {item!r}", param_hint="--param")
        values[key] = value
    result = run(open_store(store, read_only=True), name, values)
    click.echo(render(result, fmt), nl=False)


def _iso_date(ctx, param, value):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def projection_options(func):
    """``--since``/``--until`` (article dates, inclusive) and ``--comentions``, for the graph commands."""
    func = click.option("--comentions", is_flag=True,
                        help="Also link entities named in one sentence or quote.")(func)
    func = click.option("--until", default=None, callback=_iso_date, metavar="YYYY-MM-DD",
                        help="Only articles published on or before this date.")(func)
    return click.option("--since", default=None, callback=_iso_date, metavar="YYYY-MM-DD",
                        help="Only articles published on or after this date.")(func)


def _projection(store, since, until, comentions):
    from kg.projection import project
    from kg.store import open_store

    return project(open_store(store, read_only=True), since=since, until=until, comentions=comentions)


@cli.command()
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path())
@click.option("--focus", default=None, help="Entity (slug or label) to centre on.")
@click.option("--hops", default=2, show_default=True, type=int, help="With --focus: how far to go.")
@click.option("--budget", default=1500, show_default=True, type=int,
              help="Most entities on the page (the most central are kept; 0: no limit).")
@projection_options
@store_option
@handles_errors
def view(output, focus, hops, budget, since, until, comentions, store):
    """Write the interactive HTML viewer (self-contained, works offline).

    Example: kg view -o graph.html --focus "ליאו מסי" --hops 2
    """
    from kg.store import open_store
    from kg.viewer import write_viewer

    info = write_viewer(open_store(store, read_only=True), output, focus=focus, hops=hops,
                        budget=budget or None, since=since, until=until, comentions=comentions)
    click.echo(f"wrote {output} ({info})")


@cli.command()
@click.option("--top", default=10, show_default=True, type=int, help="How many central entities to list.")
@click.option("--type", "types", multiple=True, metavar="TYPE", help="Only entities of this type (repeatable).")
@click.option("--betweenness/--no-betweenness", default=None,
              help="Force betweenness on or off (default: on up to 5,000 entities).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@projection_options
@store_option
@handles_errors
def analyze(top, types, betweenness, as_json, since, until, comentions, store):
    """The most central entities (pagerank, degree, betweenness) and the communities (Louvain).

    Example: kg analyze --type Person --since 2026-01-01 --top 5
    """
    from kg.analysis import analyze as run_analyze, format_analysis

    report = run_analyze(_projection(store, since, until, comentions), top=top, types=types,
                         betweenness=betweenness)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(format_analysis(report), nl=False)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--max", "k", default=3, show_default=True, type=int, help="How many paths.")
@click.option("--comentions/--no-comentions", default=True, show_default=True,
              help="Let co-mentions in a sentence or quote link entities (after claims and quotes).")
@click.option("--json", "as_json", is_flag=True, help="Print the paths as JSON.")
@store_option
@handles_errors
def path(source, target, k, comentions, as_json, store):
    """The shortest connections between two entities, each hop with its evidence.

    Entities by slug or any label, Hebrew or English. Claims are preferred,
    then quotes, then co-mentions, then background facts.
    Example: kg path "ליאו מסי" CONMEBOL
    """
    from dataclasses import asdict

    from kg.analysis import find_node, format_paths, paths

    g = _projection(store, None, None, comentions)
    a, b = find_node(g, source), find_node(g, target)
    found = paths(g, a, b, k=k)
    if as_json:
        click.echo(json.dumps([[asdict(h) for h in p] for p in found], ensure_ascii=False, indent=1))
    elif found:
        click.echo(format_paths(g, found), nl=False)
    if not found:
        click.echo(f"kg: no connection between {a} and {b}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("entity")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "table", "csv", "tsv", "json"]),
              help="text (timeline and each statement's course), or the rows of the named query "
                   "'story' as table, csv, tsv or json.")
@store_option
@handles_errors
def story(entity, fmt, store):
    """An entity's story over time: roles, moves, injuries, quotes and results, each with
    its evidence sentence, outlet, date and status (rumoured, confirmed, denied, disputed),
    and how each statement went from rumour to confirmation or denial.

    Example: kg story "עומר שלו"
    """
    from kg.output import render
    from kg.queries import resolve_entity, run
    from kg.store import open_store
    from kg.story import format_story, names, story as story_rows

    st = open_store(store, read_only=True)
    if fmt != "text":
        click.echo(render(run(st, "story", {"entity": str(resolve_entity(entity, store=st))}), fmt), nl=False)
        return
    iri, rows = story_rows(st, entity)
    click.echo(format_story(iri, rows, names(st, rows, iri)), nl=False)


@cli.command()
@click.argument("entity")
@click.option("--hops", default=1, show_default=True, type=int, help="How many links away.")
@click.option("--json", "as_json", is_flag=True, help="Print the neighbours as JSON.")
@projection_options
@store_option
@handles_errors
def neighbors(entity, hops, as_json, since, until, comentions, store):
    """Entities within N links of one entity, each with the link it is reached by.

    Example: kg neighbors "אינטר מיאמי" --hops 2
    """
    from kg.analysis import find_node, format_neighbors, neighbors as run_neighbors

    g = _projection(store, since, until, comentions)
    x = find_node(g, entity)
    rows = run_neighbors(g, x, hops)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        click.echo(format_neighbors(g, x, rows), nl=False)


@cli.command("graph-export")
@click.option("--format", "fmt", required=True, type=click.Choice(["graphml", "gexf"]))
@click.option("-o", "--output", required=True, type=click.Path(), help="File to write.")
@projection_options
@store_option
@handles_errors
def graph_export(fmt, output, since, until, comentions, store):
    """Write the entity graph (the networkx projection) as GraphML or GEXF, for Gephi.

    Example: kg graph-export --format gexf -o exports/kg.gexf
    """
    from kg.projection import export_projection

    g = _projection(store, since, until, comentions)
    size = export_projection(g, fmt, output)
    click.echo(f"wrote {output} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {size:,} bytes)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=int, help="Port (0: any free port).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (with the bearer token).")
@click.option("--token", envvar="KG_SERVE_TOKEN", default=None, show_envvar=True,
              help="Bearer token that updates must carry.")
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Time limit per query, seconds.")
@click.option("--max-rows", default=10_000, show_default=True, type=int,
              help="Result-size limit: rows (SELECT) or triples (CONSTRUCT).")
@click.option("--max-result-bytes", default=8 * 1024 * 1024, show_default=True, type=int,
              help="Result-size limit in bytes of the serialized result.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE and LOAD, which fetch from other hosts.")
@click.option("--workers", default=2, show_default=True, type=int, help="Query processes (read-only mode).")
@store_option
@handles_errors
def serve(host, port, allow_update, token, timeout, max_rows, max_result_bytes, allow_service, workers, store):
    """Serve the store over the SPARQL 1.1 Protocol (/query, /update) and the viewer at /.

    Read-only unless --allow-update. Example: kg serve --store .kg/ --port 7878
    """
    from kg.serve import ServeConfig, Server
    from kg.store import DEFAULT_LOCATION

    config = ServeConfig(location=store or DEFAULT_LOCATION, host=host, port=port,
                         allow_update=allow_update, token=token, allow_service=allow_service,
                         timeout=timeout, max_rows=max_rows, workers=workers,
                         max_result_bytes=max_result_bytes)
    server = Server(config)
    mode = "read-write" if allow_update else "read-only"
    click.echo(f"serving {config.location} ({mode}) at {server.url}/query and {server.url}/update; "
               f"viewer at {server.url}/  (Ctrl-C stops)", err=True)
    server.serve_forever()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out", required=True, type=click.Path(), help="Output folder.")
@store_option
@limit_options
@jobs_option
@handles_errors
def build(paths, out, store, max_bytes, time_limit, jobs):
    """The main job: ingest, then write OUT/kg.ttl, OUT/kg.trig and OUT/graph.html.

    Without --store the graph is built in a fresh in-memory store, so the exports
    hold exactly the articles named. Example: kg build seeds/ --out exports/
    """
    from kg.export import export_all
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store
    from kg.viewer import write_viewer

    st = open_store(store or ":memory:")
    report = run_ingest(paths, st, progress=sys.stderr.isatty(), limits=_limits(max_bytes, time_limit),
                        jobs=_jobs(jobs))
    for path, message in report.failed:
        click.echo(f"failed: {message}", err=True)
    out = Path(out)
    export_all(st, {"turtle": out / "kg.ttl", "trig": out / "kg.trig"})
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
@click.option("--texts", type=click.Path(exists=True, file_okay=False),
              help="Read each gold file's article from DIR/<stem>.txt (the rebuilt real set).")
@click.option("--split", type=click.Choice(["tune", "check"]),
              help="Score one half of the real set only (fixed split by stem).")
@handles_errors
def eval_(gold, by_rule, as_json, misses, texts, split):
    """Score extraction against gold files (a gold file or a folder of *.gold.yaml).

    Each gold file's article is the .txt beside it with the same stem, or the
    seeds/ article with the gold's url; with --texts, DIR/<stem>.txt.
    Example: kg eval tests/gold/ ;
    kg eval --texts tests/realset/texts --split tune tests/realset/
    """
    from kg.evaluate import evaluate, format_report

    report = evaluate(gold, texts=Path(texts) if texts else None, split=split)
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


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--yaml", "as_yaml", is_flag=True, help="Print catalogue entry skeletons to complete and paste.")
@click.option("--top", default=50, show_default=True, type=click.IntRange(min=0),
              help="How many names to list (0: all).")
@handles_errors
def candidates(paths, as_yaml, top):
    """List the names in articles that the catalogue does not know, most frequent first.

    Names are found by their context: after role words (החלוץ, המאמן), as
    speakers, in match-event lines and line-ups, as transliterated foreign names.
    Each comes with a snippet (file:offset).

    Example: kg candidates seeds/ --top 20
    """
    from kg.curation import candidate_yaml, find_candidates, format_candidates

    found = find_candidates(paths)
    found = found[:top] if top else found
    if not found:
        click.echo("no unknown names found", err=True)
        return
    click.echo(candidate_yaml(found) if as_yaml else format_candidates(found), nl=False)


@cli.group()
def catalog():
    """Inspect the curated entity catalogue (kg/data/catalog/*.yaml, or $KG_CATALOG).

    Example: kg catalog stats
    """


@catalog.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@handles_errors
def catalog_stats(as_json):
    """Counts by type and file, aliases per entity, ambiguous aliases, nicknames, demonyms.

    Example: kg catalog stats --json
    """
    from kg.curation import catalog_stats as stats, format_stats

    result = stats()
    click.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_stats(result), nl=False)


def main() -> None:
    cli(prog_name="kg")
