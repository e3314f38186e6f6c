"""Every "Introduced in notebooks/NN_name.ipynb." line in attention_lib's docstrings is
true: the notebook exists and its code cells use the name (a function's, class's or
method's bare name as a word; for a module docstring, the module imported or used).

The package is read as source with ``ast``, so nothing in it is imported here.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INTRODUCED = re.compile(r"Introduced in\s+(notebooks/\S+?\.ipynb)")


@dataclasses.dataclass(frozen=True)
class Claim:
    """One "Introduced in" line: who says it (module, dotted name), and the notebook."""

    module: str      # attention_lib.core
    qualname: str    # attention, Explorer.show; "" for the module docstring itself
    kind: str        # module, function, class or method
    notebook: str    # notebooks/04_keras_attention_api.ipynb, as written
    where: str       # attention_lib/core.py:96

    @property
    def name(self) -> str:
        """What a notebook that introduces it must use: the bare name, or the module."""
        return self.qualname.rsplit(".", 1)[-1] if self.qualname else self.module

    @property
    def id(self) -> str:
        label = f"{self.module}.{self.qualname}" if self.qualname else f"{self.module} (module)"
        return f"{label} -> {Path(self.notebook).stem}"


def _notebooks_named(docstring: str | None) -> list[str]:
    """The notebooks an "Introduced in" docstring names; "?" for a mention naming none."""
    if not docstring or "Introduced in" not in docstring:
        return []
    named = INTRODUCED.findall(docstring)
    return named if len(named) == docstring.count("Introduced in") else named + ["?"]


def _definitions(node: ast.AST, prefix: str = "", in_class: bool = False):
    """(qualname, kind, node) of every function, class and method in ``node``, nested
    ones included."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            is_class = isinstance(child, ast.ClassDef)
            kind = "class" if is_class else "method" if in_class else "function"
            yield f"{prefix}{child.name}", kind, child
            yield from _definitions(child, f"{prefix}{child.name}.", is_class)


def claims_in(package: Path, root: Path) -> list[Claim]:
    """Every "Introduced in" claim of the modules under ``package`` (subpackages too)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), rel)
        for notebook in _notebooks_named(ast.get_docstring(tree)):
            found.append(Claim(module, "", "module", notebook, f"{rel}:1"))
        for qualname, kind, node in _definitions(tree):
            for notebook in _notebooks_named(ast.get_docstring(node)):
                found.append(Claim(module, qualname, kind, notebook, f"{rel}:{node.lineno}"))
    return found


@functools.cache
def code_of(notebook: Path) -> str:
    """The source of a notebook's code cells, joined."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _imported(code: str) -> set[str]:
    """Dotted names the code imports: ``from a.b import c`` gives a.b and a.b.c."""
    names: set[str] = set()
    plain = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                      for line in code.splitlines())
    try:
        tree = ast.parse(plain)
    except SyntaxError:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def uses(code: str, claim: Claim) -> bool:
    """Whether the code uses what the claim introduces."""
    if claim.kind != "module":
        return re.search(rf"\b{re.escape(claim.name)}\b", code) is not None
    module = claim.module
    return (any(n == module or n.startswith(f"{module}.") for n in _imported(code))
            or re.search(rf"\b{re.escape(module)}\b", code) is not None)


def problem(claim: Claim, root: Path) -> str | None:
    """What is wrong with the claim (naming the notebooks that do use it), or None."""
    if claim.notebook == "?":
        return (f"{claim.where}: {claim.id}: 'Introduced in' names no notebook as "
                "notebooks/NN_name.ipynb")
    users = [p.name for p in sorted((root / "notebooks").glob("*.ipynb"))
             if uses(code_of(p), claim)]
    path = root / claim.notebook
    if not path.is_file():
        return (f"{claim.where}: {claim.kind} {claim.name!r} says it is introduced in "
                f"{claim.notebook}, which does not exist; used in: {users or 'none'}")
    if not uses(code_of(path), claim):
        return (f"{claim.where}: {claim.kind} {claim.name!r} says it is introduced in "
                f"{claim.notebook}, whose code cells never use it; used in: "
                f"{users or 'none'}")
    return None


CLAIMS = claims_in(ROOT / "attention_lib", ROOT)


def test_claims_are_found():
    assert len(CLAIMS) >= 50
    kinds = {c.kind for c in CLAIMS}
    assert {"module", "function", "class"} <= kinds
    assert any(c.module.startswith("attention_lib.exercises") for c in CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_introduced_in_names_a_notebook_that_uses_it(claim):
    trouble = problem(claim, ROOT)
    assert trouble is None, trouble


#: A made-up module for the self-test: right and wrong claims about notebooks/01_first.
MADE_UP_TOOLS = '''"""Tools. Introduced in notebooks/01_first.ipynb."""

def used_function():
    """Introduced in notebooks/01_first.ipynb."""

def only_in_markdown():
    """Introduced in notebooks/01_first.ipynb."""

def in_a_missing_notebook():
    """Introduced in notebooks/09_missing.ipynb."""

def names_no_notebook():
    """Introduced in notebook 1."""

class Used:
    """Introduced in notebooks/01_first.ipynb."""

    def run(self):
        """Introduced in notebooks/01_first.ipynb."""

    def stop(self):
        """Introduced in notebooks/01_first.ipynb."""
'''


def test_the_checker_catches_wrong_claims(tmp_path):
    """A made-up package and notebook: right claims pass, each kind of wrong one fails."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01_first.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["from pkg.tools import used_function, Used\n",
                                         "Used().run()\n"]},
        {"cell_type": "markdown", "source": ["Only words here: only_in_markdown"]},
    ]}))
    (tmp_path / "notebooks" / "02_second.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["from pkg import tools\n",
                                         "tools.only_in_markdown()\n"]},
    ]}))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "tools.py").write_text(MADE_UP_TOOLS)
    (tmp_path / "pkg" / "unused.py").write_text('"""Introduced in notebooks/01_first.ipynb."""')
    claims = claims_in(tmp_path / "pkg", tmp_path)
    verdicts = {c.id: problem(c, tmp_path) for c in claims}
    assert [c.kind for c in claims] == ["module", "function", "function", "function",
                                        "function", "class", "method", "method", "module"]
    ok = {i for i, trouble in verdicts.items() if trouble is None}
    assert ok == {"pkg.tools (module) -> 01_first", "pkg.tools.used_function -> 01_first",
                  "pkg.tools.Used -> 01_first", "pkg.tools.Used.run -> 01_first"}
    assert verdicts["pkg.tools.only_in_markdown -> 01_first"].endswith(
        "whose code cells never use it; used in: ['02_second.ipynb']")
    assert "does not exist" in verdicts["pkg.tools.in_a_missing_notebook -> 09_missing"]
    assert "names no notebook" in verdicts["pkg.tools.names_no_notebook -> ?"]
    assert "method 'stop'" in verdicts["pkg.tools.Used.stop -> 01_first"]
    assert verdicts["pkg.tools.Used.stop -> 01_first"].endswith("used in: none")
    assert "pkg/unused.py:1" in verdicts["pkg.unused (module) -> 01_first"]
