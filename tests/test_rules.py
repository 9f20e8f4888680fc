"""Every rule fires on its examples and stays silent on its counter-examples."""

import pytest

from kg.rules import load_rules
from tests.conftest import extract_text

RULES = load_rules()
EXAMPLES = [(r.id, text) for r in RULES.values() for text in r.examples]
COUNTER = [(r.id, text) for r in RULES.values() for text in r.counter_examples]


def fired(rule_id: str, text: str) -> bool:
    ex = extract_text(text)
    return any(c.rule == rule_id for c in ex.claims) or any(q.rule == rule_id for q in ex.quotes) \
        or any(m.rule == rule_id for m in ex.matches)


def test_rules_every_rule_has_examples():
    for r in RULES.values():
        assert len(r.examples) >= 1 and len(r.counter_examples) >= 1, r.id
        assert r.id.rsplit(".", 1)[-1].startswith("v"), r.id


@pytest.mark.parametrize("rule_id, text", EXAMPLES)
def test_rules_fire_on_examples(rule_id, text):
    assert fired(rule_id, text), f"{rule_id} did not fire on: {text}"


@pytest.mark.parametrize("rule_id, text", COUNTER)
def test_rules_silent_on_counter_examples(rule_id, text):
    assert not fired(rule_id, text), f"{rule_id} fired on: {text}"
