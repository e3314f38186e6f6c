"""Exercises 06.x and 07.x: right answers pass, wrong ones get hints without the answer.
(The notebooks' own solutions are run by tests/test_exercises.py.)"""

import numpy as np
import pytest

from attention_lib import additive_attention
from attention_lib.exercises import check, exercises_for
from attention_lib.exercises._core import NOT_ANSWERED
from attention_lib.masking import masked_softmax


def test_registered():
    assert [e.id for e in exercises_for("06")] == ["06.1", "06.2", "06.3", "06.4"]
    assert [e.id for e in exercises_for("07")] == ["07.1", "07.2", "07.3"]


@pytest.mark.parametrize("ex_id", ["06.1", "06.2", "06.3", "06.4", "07.1", "07.2", "07.3"])
def test_blank_answers_say_not_answered(ex_id):
    assert str(check(ex_id, None)) == NOT_ANSWERED


def test_06_1_hints():
    assert check("06.1", (2, 4, 5, 7)).ok and check("06.1", [2, 4, 5, 7]).ok
    assert "3 axes" in str(check("06.1", (2, 5, 7)))
    hint = str(check("06.1", (2, 8, 5, 7)))
    assert "axis 1" in hint and "(2, 4, 5, 7)" not in hint
    assert "tuple of whole numbers" in str(check("06.1", "2x4"))


def test_06_2_and_06_4():
    assert check("06.2", 186).ok
    assert "too low" in str(check("06.2", 154)) and "too high" in str(check("06.2", 200))
    assert check("06.4", 0.4).ok and "too low" in str(check("06.4", 0.3))


def test_06_3():
    assert check("06.3", lambda q, v, k, s: additive_attention(q, v, k, scale=s)[1]).ok
    no_scale = str(check("06.3", lambda q, v, k, s: additive_attention(q, v, k)[1]))
    assert "test case 1" in no_scale and not check("06.3", lambda q, v, k, s: 1).ok


def test_07_1():
    right = np.where(np.tril(np.ones((4, 4), bool)) & [True, True, True, False], 0.0, -1e9)
    assert check("07.1", right).ok
    causal_only = np.where(np.tril(np.ones((4, 4), bool)), 0.0, -1e9)
    assert "index (3, 3)" in str(check("07.1", causal_only))


def test_07_2():
    assert check("07.2", 0.25).ok
    assert "too low" in str(check("07.2", 0.2))


def test_07_3():
    assert check("07.3", lambda s, a: masked_softmax(s, a, fully_masked="zeros")).ok
    uniform = str(check("07.3", lambda s, a: masked_softmax(s, a)))
    assert "test case 1" in uniform

    def naive(s, a):  # NaN for a fully masked row
        e = np.where(a, np.exp(s), 0.0)
        with np.errstate(invalid="ignore"):
            return e / e.sum(axis=-1, keepdims=True)
    assert not check("07.3", naive).ok
