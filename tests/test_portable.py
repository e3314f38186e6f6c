"""attention_lib.portable.stable_round: digits that a small change cannot alter."""

import numpy as np
import pytest

from attention_lib.portable import FLOAT32_ATOL, stable_round


def test_rounds_values_far_from_a_boundary():
    np.testing.assert_array_equal(stable_round([[0.5, 0.99966465], [1.0003353, 3.998994]], 4),
                                  [[0.5, 0.9997], [1.0003, 3.999]])


@pytest.mark.parametrize("x", [0.7109495, 0.12345, -2.00005])
def test_refuses_a_value_near_a_boundary(x):
    with pytest.raises(ValueError, match="within 1e-05 of a rounding boundary at 4 decimals"):
        stable_round([1.0, x], 4)


def test_any_value_within_atol_prints_the_same():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, size=200)
    kept = x[np.round(x - FLOAT32_ATOL, 3) == np.round(x + FLOAT32_ATOL, 3)]
    base = stable_round(kept, 3)
    for shift in (-0.9 * FLOAT32_ATOL, -1e-7, 1e-7, 0.9 * FLOAT32_ATOL):
        np.testing.assert_array_equal(stable_round(kept + shift, 3, atol=0.05 * FLOAT32_ATOL), base)


def test_negative_zero_prints_as_zero():
    assert str(stable_round(-1e-9, 3)) == "0.0"
    assert str(stable_round(np.array([-1e-9, 2.0]), 2)) == "[0. 2.]"


def test_a_scalar_stays_a_scalar():
    assert stable_round(np.float32(1.28845), 3).shape == ()


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(x=[1.0], decimals=2.5), TypeError, "decimals must be an integer"),
    (dict(x=[1.0], decimals=-1), ValueError, "decimals must be at least 0"),
    (dict(x=[1.0], decimals=2, atol=0), ValueError, "atol must be greater than 0"),
    (dict(x=[np.nan], decimals=2), ValueError, "x contains NaN"),
    (dict(x="abc", decimals=2), TypeError, "x must be a numeric array"),
])
def test_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        stable_round(**kwargs)
