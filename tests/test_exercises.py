"""Exercise checkers: right answers pass, wrong ones get a hint that does not give the
answer away, and every solution written in a notebook passes its own checker."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from attention_lib import attention
from attention_lib.data import seed_arrays
from attention_lib.exercises import (
    check,
    compare_array,
    compare_function,
    compare_number,
    exercises_for,
)
from attention_lib.exercises._core import NOT_ANSWERED

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
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


def test_blank_answers_say_not_answered():
    for ex_id in ("04.1", "04.2", "04.3"):
        assert str(check(ex_id, None)) == NOT_ANSWERED


def test_hints_name_what_is_off_without_the_answer():
    s = seed_arrays()
    right = s["query"] @ s["key"].T
    shape_hint = str(check("04.1", np.zeros((2, 3))))
    assert "shape (2, 3)" in shape_hint and "(2, 2)" in shape_hint
    value_hint = str(check("04.1", right + np.array([[0, 0], [0, 1.0]])))
    assert "index (1, 1)" in value_hint
    for number in right.ravel():
        assert f"{number:g}" not in value_hint
    assert "too low" in str(check("04.2", 0.0)) and "too high" in str(check("04.2", 1.0))
    assert check("04.3", lambda q, v, k: attention(q, v, k)[0]).ok


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
