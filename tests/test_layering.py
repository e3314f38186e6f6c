"""The package's layers, read from the source (AST), not from what happens to be loaded:
the maths modules import nothing heavier than numpy, and TensorFlow is imported in one
module only, attention_lib/tensorflow_env.py, which the rest of the repository uses."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "attention_lib"
#: The maths: numpy only (and each other).
MATHS = ["_checks", "abcnn", "core", "data", "glimpse", "local_attention", "masking",
         "masks", "multihead", "portable", "reversal", "scores", "shapes", "softmax", "twins"]
HEAVY = ("matplotlib", "ipywidgets", "anywidget", "tensorflow", "keras", "IPython")
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


@pytest.mark.parametrize("name", MATHS)
def test_maths_modules_import_nothing_heavy(name):
    heavy = sorted(m for m in imported_modules(PACKAGE / f"{name}.py")
                   if m.split(".")[0] in HEAVY)
    assert not heavy, f"attention_lib/{name}.py imports {heavy}; the maths is numpy only"


def test_every_module_is_placed():
    placed = set(MATHS) | {"__init__", "tensorflow_env", "keras_check", "seq2seq", "plots",
                           "widgets", "explorer", "mask_explorer", "history", "collection",
                           "lab_server", "seq2seq_views"}
    found = {p.stem for p in PACKAGE.glob("*.py")}
    assert found == placed, f"modules not in the layer list: {sorted(found ^ placed)}"


def test_tensorflow_is_imported_in_one_module():
    importers = sorted(str(p.relative_to(ROOT)) for p in PYTHON_FILES
                       if any(m.split(".")[0] in ("tensorflow", "keras")
                              for m in imported_modules(p)))
    assert importers == ["attention_lib/tensorflow_env.py"], importers


def test_the_check_can_see_an_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import tensorflow as tf\n    from keras import ops\n")
    assert imported_modules(module) == {"tensorflow", "keras"}
