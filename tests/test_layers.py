"""The package's imports hold to its layers: no import cycle, and no module imports one of
a higher layer. Read from the source (every import, also those inside functions and
under TYPE_CHECKING), so a lazy import cannot hide a cycle."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "kg"

# lowest first; a module may import its own layer and the ones below
LAYERS = [
    ("base", {"kg", "kg.errors", "kg.model", "kg.vocab", "kg.lexicon", "kg.normalize", "kg.morphology"}),
    ("text and catalogue", {"kg.read", "kg.variants", "kg.catalog", "kg.mentions", "kg.chrome", "kg.extract"}),
    ("rules", {"kg.rules"}),                      # and every kg.rules.* module
    ("rdf", {"kg.graph", "kg.events", "kg.rdfterms", "kg.sparql_lex", "kg.store", "kg.remote", "kg.export", "kg.output",
             "kg.validate"}),
    ("pipeline", {"kg.pipeline"}),
    ("surfaces and tools", {"kg.queries", "kg.story", "kg.analysis", "kg.projection", "kg.viewer", "kg.viewer_assets",
                            "kg.evaluate", "kg.candidates", "kg.curation", "kg.realset",
                            "kg.protocol", "kg.workers", "kg.serve"}),
    ("command line", {"kg.cli", "kg.__main__"}),
]


def modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] == "kg":
            if node.module in known:
                found.add(node.module)
            for alias in node.names:                 # from kg.rules import quotes: a module
                if f"{node.module}.{alias.name}" in known:
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(path, set(mods)) - {name} for name, path in mods.items()}


def layer_of(name: str) -> int:
    for i, (_, members) in enumerate(LAYERS):
        if name in members or any(name.startswith(m + ".") for m in members if m != "kg"):
            return i
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in {__file__}")


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_layers_no_import_cycle():
    assert cycles(graph()) == []


def test_layers_no_import_of_a_higher_layer():
    g = graph()
    wrong = sorted(f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
                   for a, targets in g.items() for b in targets if layer_of(b) > layer_of(a))
    assert wrong == []


def test_layers_the_checks_can_fail():
    """The detector finds a cycle and a wrong-way import when there is one."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("kg.rules.quotes") < layer_of("kg.store") < layer_of("kg.cli")
