"""Shared fixtures: the seed article, its extraction and an in-memory store holding it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_aa2c9240cabe1a9a.txt"
# A copy of ../shared/eval/seed-512109.gold.yaml: the suite never reads outside the checkout.
SEED_GOLD = ROOT / "tests" / "fixtures" / "eval" / "seed-512109.gold.yaml"
GOLD_DIR = ROOT / "tests" / "gold"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden files (exports/, *.claims.jsonl) instead of comparing.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def catalog():
    from kg.catalog import default_catalog

    return default_catalog()


@pytest.fixture(scope="session")
def seed_extraction(catalog):
    from kg.pipeline import extract_file

    return extract_file(SEED, catalog)


@pytest.fixture()
def memory_store():
    from kg.store import open_store

    return open_store(":memory:")


@pytest.fixture(scope="session")
def seed_store():
    from kg.pipeline import ingest
    from kg.store import open_store

    store = open_store(":memory:")
    ingest([SEED], store)
    return store


@pytest.fixture(scope="session")
def g(seed_store):
    """The seed graph's networkx projection."""
    from kg.projection import project

    return project(seed_store)


@pytest.fixture(scope="session")
def gc(seed_store):
    """The same, with co-mention edges."""
    from kg.projection import project

    return project(seed_store, comentions=True)


@pytest.fixture(scope="session")
def seed_text(seed_store):
    from kg.projection import TEXTS

    return str(seed_store.query(TEXTS).rows[0]["text"])


def extract_text(text: str, catalog=None):
    """Extraction for an article given as text (header optional)."""
    from kg.pipeline import extract
    from kg.read import parse_article

    return extract(parse_article(text, "<test>"), catalog)
