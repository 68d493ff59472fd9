"""The package's imports point one way, down the layers of docs/layout.md: every ``import`` of a grngc
module (at the top of a file or inside a function) is read from the source with ``ast``; an import from a
lower layer into a higher one fails, and so does any cycle of modules."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "grngc"

# low -> high; a module belongs to the layer of the longest prefix that names it (docs/layout.md draws it)
LAYERS = [
    ("foundation", ["grngc._version", "grngc.errors", "grngc.timecourse", "grngc.core.scaling", "grngc.core.moments",
                    "grngc.io.atomic", "grngc.evaluate.metrics"]),
    ("data", ["grngc.io", "grngc.simulate", "grngc.report"]),
    ("methods", ["grngc.models", "grngc.granger", "grngc.methods", "grngc.cells"]),
    ("engine", ["grngc.config", "grngc.core", "grngc.granger.train", "grngc.granger.sweep", "grngc.evaluate",
                "grngc.pipeline"]),
    ("entry points", ["grngc.tl", "grngc.pp", "grngc.pl", "grngc.get", "grngc.cli", "grngc.__main__", "grngc"]),
]


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def layer_of(module: str) -> int:
    """The layer of the longest prefix that names ``module`` (the root entry "grngc" names the root only)."""
    named = [(len(p), rank) for rank, (_, prefixes) in enumerate(LAYERS) for p in prefixes
             if module == p or (p != "grngc" and module.startswith(p + "."))]
    if named:
        return max(named)[1]
    raise AssertionError(f"{module} is in no layer of tests/test_layers.py (and docs/layout.md): place it")


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """``{module: {grngc modules it imports}}``, inside functions too; ``from pkg import name`` counts as an
    import of ``pkg.name`` where that is a module, else of ``pkg``."""
    graph = {m: set() for m in mods}
    for module, path in mods.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in mods else source for a in node.names]
            else:
                continue
            graph[module] |= {t for t in targets if t in mods and t != module}
    return graph


GRAPH = imports(modules())


def test_every_module_has_a_layer():
    for module in GRAPH:
        layer_of(module)
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("grngc.newcomer")  # the package root's entry names the root only


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_climbs_a_layer(module):
    up = sorted(t for t in GRAPH[module] if layer_of(t) > layer_of(module))
    assert not up, (f"{module} ({LAYERS[layer_of(module)][0]}) imports higher layers: "
                    + ", ".join(f"{t} ({LAYERS[layer_of(t)][0]})" for t in up))


def test_no_cycle():
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if state.get(t) == "open":
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = "done"

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_walker_sees_imports_inside_functions(tmp_path):
    src = tmp_path / "grngc" / "low.py"
    src.parent.mkdir()
    src.write_text("def f():\n    from .high import g\n")
    (tmp_path / "grngc" / "high.py").write_text("")
    mods = {"grngc.low": src, "grngc.high": tmp_path / "grngc" / "high.py"}
    assert imports(mods)["grngc.low"] == {"grngc.high"}


@pytest.mark.parametrize("old, new", [("grngc.compare", "grngc.evaluate.compare"),
                                      ("grngc.network_view", "grngc.report.network_page"),
                                      ("grngc.simulate_cells", "grngc.simulate.cells"),
                                      ("grngc.train", "grngc.granger.train"), ("grngc.api", "grngc.core.api"),
                                      ("grngc.presets", "grngc.core.presets"), ("grngc.metrics", "grngc.evaluate.metrics"),
                                      ("grngc.preprocess", "grngc.io.preprocess"), ("grngc.sheet", "grngc.pipeline.sheet"),
                                      ("grngc.resources", "grngc.pipeline.resources")])
def test_a_moved_module_still_imports_and_says_where_it_went(old, new):
    import importlib
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} has moved to {new}"):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_the_functions_of_the_old_granger_module_still_resolve_with_a_warning():
    import grngc.granger
    from grngc.granger.gradients import granger_scores

    with pytest.warns(DeprecationWarning, match="grngc.granger.gradients.granger_scores"):
        assert grngc.granger.granger_scores is granger_scores
    assert layer_of("grngc.granger.train") > layer_of("grngc.granger.gradients")  # the longest prefix decides


# The package root: scanpy's thin namespaces, the entry files, and the three a user imports directly
# (TimeCourse and InputError, GRNGCConfig, the errors with their own exit codes); everything else in a folder.
ROOT_MODULES = {"__init__", "__main__", "_version", "pp", "tl", "pl", "get", "timecourse", "config", "errors"}


def test_the_package_root_holds_only_the_namespaces_and_the_files_a_user_imports():
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose <= ROOT_MODULES, f"put {sorted(loose - ROOT_MODULES)} in a folder (docs/layout.md)"
