"""Fingerprints of the rules: a hash of each rule function's source and of the cue
entries its module reads (of ``cues("moves")`` -> ``kg/data/cues/moves.yaml``, the keys
the module names as strings: a key added for another module does not move it). The recorded table,
``tests/fixtures/rule-fingerprints.json``, lets a test fail when a rule changes without a
version bump. After bumping a rule's version, record the new table:

    python -m tests.rule_fingerprints --update

(Shared helpers the rule calls are not part of its fingerprint: changing one is still
a reason to bump the rules that use it.)"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import sys
from pathlib import Path

from kg.lexicon import cues
from kg.rules import load_rules

TABLE = Path(__file__).resolve().parent / "fixtures" / "rule-fingerprints.json"
_CUES = re.compile(r"""cues\(\s*["']([\w-]+)["']\s*\)""")


def fingerprints() -> dict[str, str]:
    out = {}
    for rule_id, r in sorted(load_rules().items()):
        module = sys.modules[r.func.__module__]
        h = hashlib.sha1(inspect.getsource(r.func).encode())
        source = inspect.getsource(module)
        for name in sorted(set(_CUES.findall(source))):
            table = cues(name)
            for key in sorted(k for k in table if f'"{k}"' in source or f"'{k}'" in source):
                h.update(json.dumps([name, key, table[key]], ensure_ascii=False, sort_keys=True).encode())
        out[rule_id] = h.hexdigest()[:16]
    return out


def main() -> None:
    if "--update" in sys.argv:
        TABLE.write_text(json.dumps(fingerprints(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {TABLE}")
    else:
        print(json.dumps(fingerprints(), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
