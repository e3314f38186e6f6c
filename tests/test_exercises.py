"""The exercise registry as a whole: every solution written in a notebook passes its own
checker, every blank answer (as a notebook hands it out) says "Not answered yet", the
comparison helpers, and an unknown id. Each checker's own hints are tested in
tests/test_exercise_checkers.py."""

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from attention_lib.exercises import (
    check,
    compare_array,
    compare_function,
    compare_number,
    exercises_for,
)
from attention_lib.exercises._core import _REGISTRY, NOT_ANSWERED

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: Every registered exercise id, read from the registry the nbNN modules fill on import.
EXERCISE_IDS = sorted(_REGISTRY)
SOLUTION = re.compile(r"<summary>Solution to (\d\d\.\d+)</summary>\s*```python\n(.*?)```",
                      re.DOTALL)


def solutions():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                for ex_id, code in SOLUTION.findall("".join(cell["source"])):
                    yield pytest.param(ex_id, code, id=f"{path.stem}-{ex_id}")


@pytest.mark.parametrize("ex_id, code", list(solutions()))
def test_notebook_solution_passes_its_checker(ex_id, code):
    namespace: dict = {}
    exec(code, namespace)
    verdict = check(ex_id, namespace["answer"])
    assert verdict.ok, str(verdict)


def test_every_notebook_with_exercises_has_a_solution_for_each():
    ids = {p.values[0] for p in solutions()}
    for path in NOTEBOOKS:
        number = path.name[:2]
        for exercise in exercises_for(number):
            assert exercise.id in ids, f"{path.name} has no solution for {exercise.id}"
            code = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                           if c["cell_type"] == "code")
            assert f'check("{exercise.id}"' in code, f"{path.name} never checks {exercise.id}"


def _checked_name(node: ast.stmt) -> tuple[str, str] | None:
    """(exercise id, name) when ``node`` is ``check("ID", name)``; None otherwise."""
    call = node.value if isinstance(node, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == "check" and len(call.args) == 2
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[1], ast.Name)):
        return call.args[0].value, call.args[1].id
    return None


def blank_answer(ex_id: str):
    """The answer a student checks before writing anything: the notebook's exercise cell
    (``answer = None``, or ``def f(...): return None``) run without its check call."""
    for path in NOTEBOOKS:
        if path.name[:2] != ex_id.split(".")[0]:
            continue
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(cell["source"]))
            calls = [_checked_name(node) for node in tree.body]
            names = [c[1] for c in calls if c is not None and c[0] == ex_id]
            if not names:  # no check of ex_id, or a demonstration such as check("00.1", 5)
                continue
            body = [node for node, c in zip(tree.body, calls, strict=True) if c is None]
            namespace: dict = {}
            exec(compile(ast.Module(body, type_ignores=[]), path.name, "exec"), namespace)
            return namespace[names[0]]
    pytest.fail(f"no notebook cell hands out exercise {ex_id} as check({ex_id!r}, name)")


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_blank_answer_says_not_answered(ex_id):
    """None, and the notebook's blank answer (None, or for a function exercise a function
    returning None), get "Not answered yet" and are not counted right."""
    assert str(check(ex_id, None)) == NOT_ANSWERED
    assert not check(ex_id, None)
    blank = blank_answer(ex_id)
    verdict = check(ex_id, blank)
    assert not verdict.ok and not verdict
    assert str(verdict).startswith("Not answered yet"), str(verdict)
    if blank is not None:
        assert callable(blank) and "returns None" in str(verdict), str(verdict)


def test_compare_helpers():
    assert compare_array([[0.5, 0.5]], np.array([[0.5, 0.5]]), rows_sum_to_one=True).ok
    assert "sums to 1.2" in str(compare_array([[0.6, 0.6]], np.array([[0.5, 0.5]]),
                                              rows_sum_to_one=True))
    assert "your answer sums to 1.2" in str(compare_array([0.6, 0.6], np.array([0.5, 0.5]),
                                                          rows_sum_to_one=True))
    assert "NaN" in str(compare_array([np.nan], np.array([1.0])))
    assert "array of numbers" in str(compare_array("abc", np.array([1.0])))
    assert "single number" in str(compare_number([1, 2], 1.0))
    blank = str(compare_function(lambda x: None, lambda x: x, [(np.ones(2),)]))
    assert blank.startswith("Not answered yet: your function returns None")
    forgot = str(compare_function(lambda x: x if x.size == 2 else None, lambda x: x,
                                  [(np.ones(2),), (np.ones(3),)]))
    assert "returned None on test case 2; did you forget `return`" in forgot
    raised = str(compare_function(lambda x: 1 / 0, lambda x: x, [(np.ones(2),)]))
    assert "raised ZeroDivisionError" in raised
    assert not compare_function(3, lambda x: x, [(np.ones(2),)]).ok


def test_unknown_exercise_id():
    with pytest.raises(ValueError, match="exercise_id '99.9' is unknown"):
        check("99.9", 1)
