"""The rule registry: the ``rule`` decorator and what it records. Rule modules import
this module only (never the package), so the package can import them without a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

RULESET_SERIES = "2026.12"   # the ruleset's name; its version is derived from the rules' ids


def ruleset_version() -> str:
    """``<series>+<hash>``: a hash of every registered rule id (each with its version), so
    bumping one rule's version, adding or retiring a rule changes it by itself."""
    import hashlib

    digest = hashlib.sha1("\n".join(sorted(REGISTRY)).encode()).hexdigest()[:10]
    return f"{RULESET_SERIES}+{digest}"


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
