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

from kg.rules.registry import REGISTRY, Rule, rule, ruleset_version  # noqa: F401 - the package's API


def load_rules() -> dict[str, Rule]:
    """Import every rule module (registration happens on import)."""
    from kg.rules import (  # noqa: F401
        coaches, epithets, matches, moves, participation, quotes, roles, status, teammates, titles,
    )

    return REGISTRY
