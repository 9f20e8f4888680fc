"""Fingerprints of the rules: a hash of each rule function's source, of the source of the
helpers of its module it reaches (called or referred to, transitively), and of the cue
entries named in that code (``_lex()["injury_verbs"]`` -> that list of
``kg/data/cues/moves.yaml``; the cue files are those its modules open with ``cues("…")``).
A change to a helper a rule uses, or to a cue list it reads, moves its fingerprint; a
cue key added for another rule does not. The recorded table,
``tests/fixtures/rule-fingerprints.json``, lets a test fail when a rule changes without
a version bump. After bumping a rule's version, record the new table:

    python -m tests.rule_fingerprints --update

(The machinery outside kg.rules is not part of a rule's fingerprint; cue values reached
through a computed key are not seen.)"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from kg.lexicon import cues
from kg.rules import load_rules

TABLE = Path(__file__).resolve().parent / "fixtures" / "rule-fingerprints.json"
_CUES = re.compile(r"""cues\(\s*["']([\w-]+)["']\s*\)""")


@lru_cache(maxsize=None)
def _definitions(module) -> dict[str, str]:
    """Top-level functions and assignments of a module, by name, with their source."""
    source = inspect.getsource(module)
    tree = ast.parse(source)
    out = {}
    for node in tree.body:
        names = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        for name in names:
            out[name] = ast.get_source_segment(source, node) or ""
    return out


@lru_cache(maxsize=None)
def _names(code: str) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name))


def _reached(func) -> list[str]:
    """The sources of ``func`` and of the module-level names it reaches (transitively),
    across the rule modules it imports names from (kg.rules.*: the rules' own helpers and
    patterns; the machinery they run on, such as kg.extract, is not part of a rule)."""
    seen, order = set(), []
    stack = [(sys.modules[func.__module__], func.__name__)]
    while stack:
        module, name = stack.pop()
        key = (module.__name__, name)
        if key in seen:
            continue
        seen.add(key)
        defs = _definitions(module)
        if name not in defs:
            continue
        code = defs[name]
        order.append(f"{module.__name__}.{name}\n{code}")
        for ref in sorted(_names(code)):
            if ref in defs:
                stack.append((module, ref))
            else:
                target = getattr(module, ref, None)
                home = sys.modules.get(getattr(target, "__module__", "") or "")
                if home is not None and home.__name__.startswith("kg.rules") and home is not module:
                    stack.append((home, ref))
    return sorted(order)


def fingerprints() -> dict[str, str]:
    out = {}
    for rule_id, r in sorted(load_rules().items()):
        parts = _reached(r.func)
        h = hashlib.sha1("\n".join(parts).encode())
        text = "\n".join(parts)
        files = set(_CUES.findall(text)) | set(_CUES.findall(inspect.getsource(sys.modules[r.func.__module__])))
        for name in sorted(files):
            table = cues(name)
            for key in sorted(k for k in table if f'"{k}"' in text or f"'{k}'" in text):
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
