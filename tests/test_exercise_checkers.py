"""Each exercise checker on its own: right answers pass, wrong ones get a hint naming what
is off (a shape, a row's sum, a position) without giving the answer away. The registry as
a whole (the notebooks' solutions, blank answers) is tested in tests/test_exercises.py;
notebook 01's exercises in tests/test_history.py."""

import numpy as np

from attention_lib import additive_attention, attention, softmax
from attention_lib.data import seed_arrays
from attention_lib.exercises import check, exercises_for
from attention_lib.exercises.nb02 import KEYS, VALUES
from attention_lib.mask_rules import masked_softmax

# ---- notebook 02: hard and soft look-up --------------------------------------------------

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


# ---- notebook 03: the three stages -------------------------------------------------------

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


# ---- notebook 04: the Keras Attention layer ----------------------------------------------

def test_04_hints_name_what_is_off_without_the_answer():
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


# ---- notebooks 06 and 07: the Keras layers, masks ----------------------------------------

def test_06_and_07_registered():
    assert [e.id for e in exercises_for("06")] == ["06.1", "06.2", "06.3", "06.4"]
    assert [e.id for e in exercises_for("07")] == ["07.1", "07.2", "07.3"]


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


def test_01_right_answers_pass_and_wrong_ones_get_hints():
    x = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
    y = np.array([[0.0, 0.0], [0.0, 4.0]])
    right = 1 / (1 + np.linalg.norm(x[:, None] - y[None], axis=-1))
    assert check("01.1", right).ok
    hint = check("01.1", right.T)
    assert not hint.ok and "shape" in hint.message
    assert check("01.2", np.exp(-1.5 ** 2 / 2)).ok
    assert "too high" in check("01.2", 0.9).message
    assert check("01.4", 2160).ok
    assert "too low" in check("01.4", 2000).message

    def mine(x):
        s = x @ x.T / np.sqrt(x.shape[1])
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def unscaled(x):
        s = x @ x.T
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    assert check("01.3", mine).ok
    assert not check("01.3", unscaled).ok
