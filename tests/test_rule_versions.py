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
