"""Checkers of notebooks 02 and 03: right answers pass, wrong ones get a hint naming what
is off, blank ones say they are not answered."""

import numpy as np
import pytest

from attention_lib import attention, softmax
from attention_lib.exercises import check
from attention_lib.exercises._core import NOT_ANSWERED
from attention_lib.exercises.nb02 import KEYS, VALUES


@pytest.mark.parametrize("ex_id", ["02.1", "02.2", "02.3", "03.1", "03.2", "03.3"])
def test_blank_answers_say_not_answered(ex_id):
    assert str(check(ex_id, None)) == NOT_ANSWERED


def test_02_1_hard_lookup():
    assert check("02.1", lambda q, k, v: v[np.argmax(k @ q)]).ok
    hint = str(check("02.1", lambda q, k, v: v[np.argmin(k @ q)]))
    assert "test case 1" in hint and "off" in hint
    assert "shape" in str(check("02.1", lambda q, k, v: v))


def test_02_2_weights():
    right = softmax(KEYS @ np.array([1.0, 0.5]))
    assert check("02.2", right).ok
    assert "sum to 2" in str(check("02.2", 2 * right))
    assert "shape (3,)" in str(check("02.2", right[:3]))
    hint = str(check("02.2", right[::-1]))
    assert "off" in hint and f"{right[0]:.3f}" not in hint
    assert "array of numbers" in str(check("02.2", "abc"))


def test_02_3_soft_lookup():
    assert check("02.3", lambda q, k, v: softmax(k @ q) @ v).ok
    assert "off" in str(check("02.3", lambda q, k, v: (k @ q) @ v))
    assert VALUES.shape == (4, 1)


def test_03_1_stable_softmax():
    assert check("03.1", lambda x: softmax(x)).ok
    with np.errstate(over="ignore", invalid="ignore"):
        naive = str(check("03.1", lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)))
    assert "test case 3" in naive and "NaN" in naive
    assert "sums to" in str(check("03.1", lambda x: np.exp(x - x.max(-1, keepdims=True))))


def test_03_2_scale_factor():
    assert check("03.2", 0.125).ok
    assert "too high" in str(check("03.2", 8))
    assert "too low" in str(check("03.2", 1 / 64))
    assert "single number" in str(check("03.2", [0.125]))


def test_03_3_scaled_attention():
    assert check("03.3", lambda q, k, v: attention(q, v, k, score_mode="scaled_dot")[0]).ok
    hint = str(check("03.3", lambda q, k, v: attention(q, v, k)[0]))
    assert "test case 1" in hint
    assert "shape" in str(check("03.3", lambda q, k, v: q @ k.T))
