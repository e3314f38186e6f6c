"""Tests of attention_lib.abcnn: the ABCNN attention matrix and ABCNN-1's feature maps."""

import numpy as np
import pytest

from attention_lib.abcnn import abcnn1_attention_maps, abcnn1_inputs, match_score


def test_match_score_by_hand():
    x = np.array([[0.0, 0.0], [3.0, 4.0]])
    y = np.array([[0.0, 0.0], [0.0, 4.0], [3.0, 4.0]])
    a = match_score(x, y)
    assert a.shape == (2, 3)
    np.testing.assert_allclose(a, [[1, 1 / 5, 1 / 6], [1 / 6, 1 / 4, 1]])


def test_match_score_range_and_symmetry():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(4, 3))
    a = match_score(x, y)
    assert ((a > 0) & (a <= 1)).all()
    np.testing.assert_allclose(match_score(y, x), a.T)
    np.testing.assert_allclose(np.diag(match_score(x, x)), 1.0)


def test_attention_maps_are_a_w0_and_at_w1():
    rng = np.random.default_rng(1)
    a = rng.random((3, 4))
    w0, w1 = rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    f0, f1 = abcnn1_attention_maps(a, w0, w1)
    assert f0.shape == (3, 2) and f1.shape == (4, 2)
    for i in range(3):
        np.testing.assert_allclose(f0[i], sum(a[i, j] * w0[j] for j in range(4)))
    np.testing.assert_allclose(f1, a.T @ w1)


def test_inputs_stack_two_channels():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(3, 2)), rng.normal(size=(4, 2))
    w0, w1 = rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    x_in, y_in = abcnn1_inputs(x, y, w0, w1)
    assert x_in.shape == (2, 3, 2) and y_in.shape == (2, 4, 2)
    np.testing.assert_array_equal(x_in[0], x)
    np.testing.assert_allclose(x_in[1], match_score(x, y) @ w0)
    np.testing.assert_allclose(y_in[1], match_score(x, y).T @ w1)


@pytest.mark.parametrize("call, error, words", [
    (lambda: match_score(np.ones((2, 3)), np.ones((2, 4))), ValueError, "y has 4 features"),
    (lambda: match_score(np.ones(3), np.ones((2, 3))), ValueError, "x must have at least 2"),
    (lambda: match_score(np.ones((2, 2, 3)), np.ones((2, 3))), ValueError, "x must be a 2-D"),
    (lambda: match_score(np.ones((2, 3)), [["a", "b", "c"]]), TypeError, "y"),
    (lambda: match_score(np.full((2, 3), np.inf), np.ones((2, 3))), ValueError, "x contains"),
    (lambda: abcnn1_attention_maps(np.ones((3, 4)), np.ones((3, 2)), np.ones((3, 2))),
     ValueError, "w0 has 3 rows"),
    (lambda: abcnn1_attention_maps(np.ones((3, 4)), np.ones((4, 2)), np.ones((4, 2))),
     ValueError, "w1 has 4 rows"),
    (lambda: abcnn1_attention_maps(np.ones((3, 4)), np.ones((4, 2)), np.ones((3, 5))),
     ValueError, "w0 has 2 features but w1 has 5"),
    (lambda: abcnn1_inputs(np.ones((3, 2)), np.ones((4, 2)), np.ones((4, 5)), np.ones((3, 5))),
     ValueError, "w0 has 5 features but x has 2"),
])
def test_bad_input_is_rejected(call, error, words):
    with pytest.raises(error, match=words):
        call()
