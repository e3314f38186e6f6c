import numpy as np
import pytest

from attention_lib import naive_softmax, softmax


def test_softmax_matches_definition():
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    e = np.exp(x)
    np.testing.assert_allclose(softmax(x), e / e.sum(axis=-1, keepdims=True), rtol=1e-12)


def test_softmax_other_axis():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(softmax(x, axis=0).sum(axis=0), np.ones(3))
    np.testing.assert_allclose(softmax(x, axis=0), softmax(x.T).T)


def test_softmax_is_finite_and_correct_for_huge_scores():
    x = np.array([1e6, 1e6 - 1.0, -1e6])
    w = softmax(x)
    assert np.isfinite(w).all()
    np.testing.assert_allclose(w, [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1)), 0.0],
                               rtol=1e-12, atol=1e-300)


def test_naive_softmax_is_the_seeds_formula_and_overflows():
    t = np.array([[1.0, 0.0], [2.0, 3.0]])
    np.testing.assert_allclose(naive_softmax(t), softmax(t), rtol=1e-12)
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(naive_softmax(np.array([1000.0, 999.0]))).all()


@pytest.mark.parametrize("bad, exc, words", [
    (np.array([1.0, np.nan]), ValueError, "x contains NaN at index (1,)"),
    (np.array([np.inf, 1.0]), ValueError, "x contains an infinite value"),
    (np.array(["a", "b"]), TypeError, "x must be a numeric array"),
    (np.array([], dtype=float), ValueError, "x is empty"),
    (np.array([True, False]), TypeError, "not boolean"),
    (np.array(3.0), ValueError, "x must have at least 1 dimension"),
])
def test_softmax_rejects_bad_input(bad, exc, words):
    with pytest.raises(exc, match=None) as info:
        softmax(bad)
    assert words in str(info.value)
    with pytest.raises(exc):
        naive_softmax(bad)


def test_softmax_rejects_bad_axis():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        softmax(np.ones((2, 2)), axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        softmax(np.ones((2, 2)), axis=1.0)
