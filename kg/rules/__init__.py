"""The rule registry. A rule is a small function with metadata:

- ``id``: versioned (``quote-after-cue.v1``), written into each claim's provenance;
  change a rule's behaviour, bump its version;
- ``examples`` / ``counter_examples``: sentences the tests run: the rule must
  fire on each example and stay silent on each counter-example;
- ``produces``: what it yields (a relation name, ``quote`` or ``match``).

Rule functions take a :class:`kg.extract.Context` (and for sentence rules a
:class:`kg.extract.Sentence`) and yield results; they never touch the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

RULESET_VERSION = "2026.12.4"  # bump when any rule changes


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str               # module: quotes, roles, titles, ...
    scope: str                # "sentence" or "article"
    func: Callable
    produces: tuple[str, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    doc: str

    @property
    def iri(self) -> str:
        return f"https://w3id.org/footkg/rule/{self.id}"


REGISTRY: dict[str, Rule] = {}


def rule(id: str, *, produces, examples=(), counter_examples=(), scope="sentence"):
    """Register a rule function under a versioned id."""

    def wrap(func):
        if id in REGISTRY:
            raise ValueError(f"rule id {id} registered twice")
        REGISTRY[id] = Rule(
            id=id, family=func.__module__.rsplit(".", 1)[-1], scope=scope, func=func,
            produces=tuple(produces), examples=tuple(examples),
            counter_examples=tuple(counter_examples), doc=(func.__doc__ or "").strip(),
        )
        func.rule_id = id
        return func

    return wrap


def load_rules() -> dict[str, Rule]:
    """Import every rule module (registration happens on import)."""
    from kg.rules import (  # noqa: F401
        coaches, epithets, matches, moves, participation, quotes, roles, status, teammates, titles,
    )

    return REGISTRY
