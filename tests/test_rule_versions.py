"""A rule's behaviour changes only with its version (claims carry the rule id, so old and
new provenance must be told apart)."""

import json

from kg.rules import load_rules, ruleset_version
from tests.rule_fingerprints import TABLE, fingerprints


def test_rule_versions_a_changed_rule_has_a_new_version():
    recorded = json.loads(TABLE.read_text(encoding="utf-8"))
    now = fingerprints()
    changed = sorted(r for r in now if r in recorded and recorded[r] != now[r])
    assert not changed, (f"{changed}: source or cues changed under the same id; bump the version "
                         "(quote-split.v2 -> .v3), then python -m tests.rule_fingerprints --update")
    unrecorded = sorted(set(now) - set(recorded))
    assert not unrecorded, f"{unrecorded}: new rule ids; record them: python -m tests.rule_fingerprints --update"


def test_rule_versions_the_ruleset_version_follows_the_rule_ids():
    from kg.rules.registry import REGISTRY

    load_rules()
    before = ruleset_version()
    rule = REGISTRY.pop(sorted(REGISTRY)[0])
    try:
        assert ruleset_version() != before       # retiring (or bumping) a rule moves the ruleset
    finally:
        REGISTRY[rule.id] = rule
    assert ruleset_version() == before


def test_rule_versions_a_helper_the_rule_reaches_is_part_of_it():
    """The fingerprint follows the rule's own helpers: the injury rule reaches _w (moves.py)
    and the injury cue lists, and not the quote attribution table."""
    from tests.rule_fingerprints import _reached

    injury = next(r for rid, r in load_rules().items() if rid.startswith("injury.v"))
    reached = {part.split("\n", 1)[0] for part in _reached(injury.func)}
    assert {"kg.rules.status.injury", "kg.rules.moves._w"} <= reached
    assert not any(name.startswith("kg.rules.quotes.") for name in reached)
