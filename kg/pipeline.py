"""The only module that wires the stages together, in the order the data moves:

read -> normalise -> mentions -> quotes -> sentence rules -> (graph) -> store.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal
from tqdm import tqdm

from kg.catalog import Catalog, default_catalog
from kg.errors import ArticleError, KGError
from kg.events import stored_matches
from kg.graph import article_triples, catalog_graph, catalog_triples, entity_slugs, match_iri, ntriples, source_file
from kg.extract import build_context
from kg.mentions import matcher_for
from kg.model import Article, Extraction, Limits
from kg.normalize import normalize
from kg.read import HTML_SUFFIXES, read_article
from kg.rules import load_rules, ruleset_version
from kg.rules.consistency import reconcile
from kg.rules.matches import extract_matches, match_claims
from kg.rules.quotes import extract_quotes
from kg.vocab import CATALOG_GRAPH, FKE

log = logging.getLogger(__name__)


def extract(article: Article, catalog: Catalog | None = None) -> Extraction:
    """Everything the rules find in one article."""
    catalog = catalog or default_catalog()
    rules = load_rules()
    norm = normalize(article.text)
    mentions = matcher_for(catalog).match(norm, article.text, on=article.published)
    ctx = build_context(article, norm, catalog, mentions)
    result = Extraction(article=article, mentions=ctx.mentions)
    result.quotes = extract_quotes(ctx)
    seen = set()
    for r in rules.values():
        if r.scope != "sentence":
            continue
        for sentence in ctx.sentences:
            if sentence.chrome:
                continue
            for claim in r.func(sentence):
                if claim is not None and claim not in seen:
                    seen.add(claim)
                    result.claims.append(claim)
    result.matches = extract_matches(ctx)
    result.claims = reconcile(result.claims + match_claims(ctx, result.matches))
    return result


def article_files(paths, skipped: list[Path] | None = None,
                  unreadable: list[tuple[str, str]] | None = None) -> list[Path]:
    """Files named, and ``*.txt`` (and HTML) files under folders named, in a stable order.
    The other files under those folders are appended to ``skipped``; folders that
    cannot be listed and links that lead nowhere to ``unreadable`` (path, message)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found: list[Path] = []

            def refused(exc: OSError) -> None:
                if unreadable is not None:
                    unreadable.append((str(exc.filename),
                                       f"{exc.filename}: folder cannot be read: {exc.strerror}; its files were not ingested"))

            for folder, dirs, names in os.walk(p, onerror=refused):
                dirs.sort()
                for name in names:
                    f = Path(folder) / name
                    if f.is_file():
                        found.append(f)
                    elif unreadable is not None and f.is_symlink():
                        unreadable.append((str(f), f"{f}: a link to nothing ({os.readlink(f)}); not ingested"))
            found.sort()
            # HTML pages are taken too, to be refused with a message (a saved page is
            # a common mistake); other files are skipped and counted
            taken = [f for f in found if f.suffix == ".txt" or f.suffix.lower() in HTML_SUFFIXES]
            files.extend(taken)
            if skipped is not None:
                skipped.extend(f for f in found if f not in set(taken))
        elif p.exists():
            files.append(p)
        else:
            raise ArticleError(f"{p}: no such file or folder")
    return files


def extract_file(path: Path, catalog: Catalog | None = None, limits: Limits | None = None) -> Extraction:
    limits = limits or Limits()
    article = read_article(path, limits.max_bytes)
    with time_limit(limits.seconds, f"{path}: extraction stopped after {limits.seconds:g} s, the "
                                    "per-file time limit (kg ingest --time-limit); the file was skipped"):
        return extract(article, catalog)


@contextmanager
def time_limit(seconds: float, message: str):
    """Raise ArticleError(message) if the block runs longer than ``seconds`` (SIGALRM: only
    in the main thread of a Unix process; elsewhere the block runs unbounded)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise ArticleError(message)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- ingest ----------------------------------------------------------------

ENTITY_IRIS = """
SELECT DISTINCT ?e WHERE {
  GRAPH ?g { { ?e ?p ?o } UNION { ?s ?p ?e } }
  FILTER (?g != <https://w3id.org/footkg/graph/catalog>)
  FILTER (isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/footkg/entity/"))
}"""


@dataclass
class IngestReport:
    stored: list[tuple[str, str]] = field(default_factory=list)   # (file, article IRI)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (file, message)
    skipped: list[str] = field(default_factory=list)              # files in folders, not *.txt
    unchanged: list[str] = field(default_factory=list)            # stored already, same bytes and rules
    claims: int = 0
    quotes: int = 0
    matches: int = 0


FLUSH_EVERY = 500   # articles; without it the on-disk store's memory grew ~300 MB a 1,000 articles
SOURCE_FILES = """
SELECT ?g ?file WHERE { GRAPH ?g { ?g <https://w3id.org/footkg/ontology#sourceFile> ?file } }"""


def default_jobs() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ingest(paths, store, catalog: Catalog | None = None, progress: bool = False,
           limits: Limits | None = None, jobs: int = 1, force: bool = False) -> IngestReport:
    """Read, extract and store each article in its own named graph; one bad file
    is reported and skipped, the rest of the batch goes on.

    A file whose bytes are stored already (``fk:contentHash``), extracted by the
    current rule-set version (and, without a url, read from the same path), is not
    extracted again (``report.unchanged``); ``force`` extracts every file.

    ``jobs`` > 1 extracts in that many worker processes; their results come back in
    file order to this process, the one writer, so the store ends the same as after
    a one-process run.

    Each article is one store transaction: its graph, the catalogue descriptions of
    the entities it refers to (added to the catalogue graph), and the drop of an
    earlier version read from the same file without a url (an edit changes the
    text hash, not the file). A kill therefore never leaves an article without its
    entities described; the catalogue graph is pruned to what the stored articles
    refer to at the end of the run."""
    catalog = catalog or default_catalog()
    report = IngestReport()
    skipped: list[Path] = []
    files = article_files(paths, skipped, report.failed)
    report.skipped = [str(p) for p in skipped]
    by_file: dict[str, set[str]] = {}
    for row in store.query(SOURCE_FILES).rows:
        by_file.setdefault(str(row["file"]), set()).add(str(row["g"]))
    seen: dict[str, str] = {}
    known = described(store)
    changed = False                # a graph replaced or dropped: the catalogue graph is pruned at the end
    todo = files if force else _changed(files, store, limits or Limits(), report.unchanged)
    for path, art, failure in tqdm(extracted(todo, catalog, limits, jobs, len(files) > 1), desc="ingest",
                                   unit="article",                                   total=len(files), disable=not progress or len(files) < 2):
        try:
            if failure is not None:
                raise failure
            if art.iri in seen:
                log.warning("%s: same article as %s (%s); the later one is kept", path, seen[art.iri], art.iri)
            seen[art.iri] = str(path)
            older: tuple[str, ...] = ()
            if not art.url:
                source = source_file(str(path))
                older = tuple(sorted(by_file.get(source, set()) - {art.iri}))
                by_file[source] = {art.iri}
            new = {s for s in art.slugs if s in catalog} - known
            add = {str(CATALOG_GRAPH): ntriples(catalog_triples(catalog, new, known))} if new else {}
            changed |= store.write_triples(art.iri, joined_matches(store, art), drop=older, add=add)
            known |= new
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            exc = as_article_error(path, exc)
            # the caller reports report.failed (the CLI: one line a file); here only at -v
            log.info("%s", exc)
            report.failed.append((str(path), " ".join(str(exc).splitlines())))
            continue
        if older:
            log.info("%s: replaces its earlier version %s", path, ", ".join(older))
        report.stored.append((str(path), art.iri))
        if len(report.stored) % FLUSH_EVERY == 0:
            store.flush()          # RocksDB's memtables written out: memory stays flat over a long batch
        report.claims += art.claims
        report.quotes += art.quotes
        report.matches += art.matches
    refresh_catalog(store, catalog, changed=changed)
    store.flush()
    return report


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article ready for the store, as a worker hands it to the writer."""

    iri: str
    url: str | None
    ntriples: str                 # its named graph, N-Triples lines (kg.graph.ntriples)
    slugs: frozenset[str]         # the catalogue entities it refers to
    claims: int
    quotes: int
    matches: int
    found: tuple = ()             # its matches (kg.model.Match), for the writer to join stored ones


def prepare(path: Path, catalog: Catalog | None = None, limits: Limits | None = None) -> Prepared:
    """Read, extract and write out one article file (what a worker process does)."""
    catalog = catalog or default_catalog()
    digest = file_hash(path, limits or Limits())   # before reading: an edit meanwhile is seen next time
    ex = extract_file(path, catalog, limits)
    triples = article_triples(ex, catalog, digest)
    return Prepared(ex.article.iri, ex.article.url, ntriples(triples), frozenset(entity_slugs(triples)),
                    len(ex.claims), len(ex.quotes), len(ex.matches), tuple(ex.matches))


def joined_matches(store, art: Prepared) -> str:
    """The article's N-Triples with each match that another stored article reports named by
    that stored match's IRI (kg.events): the worker could not see the store, the writer can.
    Match IRIs are hashes, so their text occurs only where the match is named."""
    text = art.ntriples
    for i, iri in stored_matches(store, list(art.found), art.iri).items():
        text = text.replace(match_iri(art.found[i], art.iri).n3(), iri.n3())
    return text


def file_hash(path: Path, limits: Limits) -> str | None:
    """The SHA-256 of a file's bytes (hex); None for a file that cannot be read or is over
    the size limit (it is refused when read)."""
    try:
        if limits.max_bytes is not None and path.stat().st_size > limits.max_bytes:
            return None
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


UNCHANGED = """
ASK { GRAPH ?g { ?g <https://w3id.org/footkg/ontology#contentHash> %s ;
                    <http://www.w3.org/ns/prov#wasGeneratedBy>/<https://w3id.org/footkg/ontology#ruleSetVersion> %s .
                 OPTIONAL { ?g <https://w3id.org/footkg/ontology#sourceFile> ?file }
                 FILTER (!BOUND(?file) || ?file = %s) } }"""


def _changed(files, store, limits: Limits, unchanged: list[str]):
    """The files not stored already with the same bytes and rule-set version (the
    others are appended to ``unchanged``); lazily, as the extraction asks for them."""
    load_rules()
    version = Literal(ruleset_version()).n3()
    for path in files:
        digest = file_hash(path, limits)
        if digest and store.query(UNCHANGED % (Literal(digest).n3(), version,
                                               Literal(source_file(str(path))).n3())).boolean:
            unchanged.append(str(path))
            continue
        yield path


def as_article_error(path: Path, exc: Exception) -> KGError:
    if isinstance(exc, KGError):
        return exc
    # a fault no check caught: still one line, naming the file
    log.debug("%s", path, exc_info=exc)
    return ArticleError(f"{path}: cannot be ingested: {type(exc).__name__}: {exc}")


def _extract_one(path: Path, catalog: Catalog | None, limits: Limits | None):
    """(path, prepared article, None), or (path, None, the error) for a file that failed."""
    try:
        return path, prepare(path, catalog, limits), None
    except Exception as exc:  # noqa: BLE001 - reported by the writer, one line
        return path, None, as_article_error(path, exc)


_WORKER: dict = {}


def _worker_extract(path: Path):
    return _extract_one(path, _WORKER.get("catalog"), _WORKER.get("limits"))


def extracted(files, catalog: Catalog, limits: Limits | None, jobs: int, many: bool = True):
    """(path, prepared article or None, error or None) for each file, in the files' order
    (``many``: more than one file, worth a pool).

    With ``jobs`` > 1 the files are extracted by a pool of worker processes (forked,
    so they share the loaded catalogue and rules); at most ``4 * jobs`` files are in
    flight, so memory does not grow with the batch however slow the writer is."""
    if jobs <= 1 or not many or "fork" not in multiprocessing.get_all_start_methods():
        for path in files:
            yield _extract_one(path, catalog, limits)
        return
    load_rules()
    matcher_for(catalog)                       # built once, before the fork
    _WORKER.update(catalog=catalog, limits=limits)
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        pending: deque = deque()
        todo = iter(files)
        for path in todo:
            pending.append(pool.apply_async(_worker_extract, (path,)))
            if len(pending) >= 4 * jobs:
                break
        while pending:
            result = pending.popleft().get()
            for path in todo:
                pending.append(pool.apply_async(_worker_extract, (path,)))
                break
            yield result
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _WORKER.clear()


CATALOG_ENTITIES = """
SELECT ?e WHERE { GRAPH <https://w3id.org/footkg/graph/catalog> { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"""


def described(store) -> set[str]:
    """Slugs of the entities the catalogue graph describes."""
    prefix = str(FKE)
    return {str(r["e"])[len(prefix):] for r in store.query(CATALOG_ENTITIES).rows if str(r["e"]).startswith(prefix)}


def refresh_catalog(store, catalog: Catalog | None = None, changed: bool = True) -> None:
    """Rewrite the catalogue graph: descriptions of every entity the articles refer to.

    ``changed=False`` (no graph was replaced or dropped since the catalogue graph was
    last exact; each article's write added what it needed): nothing to do."""
    if not changed:
        return
    catalog = catalog or default_catalog()
    rows = store.query(ENTITY_IRIS).rows
    slugs = {str(r["e"]).rsplit("/", 1)[-1] for r in rows}
    store.replace_graph(str(CATALOG_GRAPH), catalog_graph(catalog, slugs))


def remove(store, article_iris) -> None:
    for iri in article_iris:
        store.remove_graph(iri)
    refresh_catalog(store)
    store.flush()
