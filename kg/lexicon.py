"""Loads the data files the rules and the reader use (cue words, outlets).

Cue lexicons live in ``kg/data/cues/*.yaml``: a mapping of list names to
lists of words or regular-expression fragments. They are data: curators
change them without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import KGError

DATA = Path(__file__).parent / "data"


def _load_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise KGError(f"{path}: cannot load: {exc}") from exc


@lru_cache(maxsize=None)
def cues(name: str) -> dict[str, list[str]]:
    """The cue lexicon ``kg/data/cues/<name>.yaml``."""
    data = _load_yaml(DATA / "cues" / f"{name}.yaml")
    if not isinstance(data, dict):
        raise KGError(f"{DATA / 'cues' / name}.yaml: expected a mapping of lists")
    return data


@lru_cache(maxsize=None)
def outlet_records() -> tuple[dict, ...]:
    return tuple(_load_yaml(DATA / "outlets.yaml"))


def outlets() -> dict[str, str]:
    """Host domain -> outlet slug, longest domain first."""
    recs = sorted(outlet_records(), key=lambda r: -len(r["domain"]))
    return {r["domain"]: r["slug"] for r in recs}
