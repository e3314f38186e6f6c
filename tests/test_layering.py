"""The package's layers as its docstring writes them down (attention_lib/__init__.py),
checked against the imports read from the source (AST), not from what happens to be
loaded: every module is in the map; a module imports from its own layer and the layers
above it only; the maths imports nothing heavier than numpy, the TensorFlow layer no
plotting or widgets; and TensorFlow is imported in one module, tensorflow_env."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "attention_lib"
HEAVY = ("matplotlib", "ipywidgets", "anywidget", "tensorflow", "keras", "IPython")
PLOTTING = ("matplotlib", "ipywidgets", "anywidget", "IPython")
PYTHON_FILES = sorted(p for folder in ("attention_lib", "tools", "benchmarks", "tests")
                      for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_map() -> dict[str, int]:
    """module name -> its layer (0 the maths, 1 TensorFlow, 2 what students see, 3 around
    the notebooks), read from the package docstring."""
    doc = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")))
    assert doc is not None
    layers: dict[str, int] = {}
    layer = -1
    for line in doc.splitlines()[1:]:
        if line and not line.startswith(" ") and layer < 3 and any(
                line.startswith(h) for h in ("The maths", "TensorFlow:", "What students",
                                             "Around the notebooks")):
            layer += 1
        elif line.startswith("    ") and layer >= 0:
            layers[line.split()[0]] = layer
    return layers


MAP = module_map()
MATHS, TENSORFLOW, VIEWS = ([m for m, layer in MAP.items() if layer == n] for n in range(3))


def package_imports(path: Path) -> set[str]:
    """The attention_lib modules that ``path`` imports (relative or absolute)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                names.add(node.module.split(".")[0])
            elif node.level == 1:
                names.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("attention_lib."):
                names.add(node.module.split(".")[1])
    return names


def test_the_map_has_every_module_and_only_those():
    found = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"} | {"exercises"}
    assert set(MAP) == found, f"map and package differ: {sorted(set(MAP) ^ found)}"
    assert len(MATHS) > 10 and TENSORFLOW == [
        "tensorflow_env", "keras_check", "transformer_keras", "seq2seq", "date_model",
        "date_transformer"]


@pytest.mark.parametrize("name", MATHS)
def test_maths_modules_import_nothing_heavy(name):
    heavy = sorted(m for m in imported_modules(PACKAGE / f"{name}.py")
                   if m.split(".")[0] in HEAVY)
    assert not heavy, f"attention_lib/{name}.py imports {heavy}; the maths is numpy only"


@pytest.mark.parametrize("name", TENSORFLOW)
def test_the_tensorflow_layer_draws_nothing(name):
    drawn = sorted(m for m in imported_modules(PACKAGE / f"{name}.py")
                   if m.split(".")[0] in PLOTTING)
    assert not drawn, f"attention_lib/{name}.py imports {drawn}"


@pytest.mark.parametrize("name", sorted(m for m in MAP if m != "exercises"))
def test_a_module_imports_only_from_its_layer_and_above(name):
    below = sorted(m for m in package_imports(PACKAGE / f"{name}.py")
                   if MAP.get(m, -1) > MAP[name] and MAP[name] < 3)
    assert not below, (f"attention_lib/{name}.py (layer {MAP[name]}) imports {below} from "
                       f"a layer below it")


def test_tensorflow_is_imported_in_one_module():
    importers = sorted(str(p.relative_to(ROOT)) for p in PYTHON_FILES
                       if any(m.split(".")[0] in ("tensorflow", "keras")
                              for m in imported_modules(p)))
    assert importers == ["attention_lib/tensorflow_env.py"], importers


def test_the_check_can_see_an_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import tensorflow as tf\n    from keras import ops\n"
                      "from .widgets import LiveFigure\nfrom . import plots\n")
    assert imported_modules(module) == {"tensorflow", "keras"}
    assert package_imports(module) == {"widgets", "plots"}
