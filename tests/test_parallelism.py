"""attention_lib.parallelism: the loop really is sequential, attention really is one
product, the counts and the fitted exponent are right, and bad input is named."""

import numpy as np
import pytest

from attention_lib import attention
from attention_lib.parallelism import (
    growth_exponent,
    multiply_adds,
    recurrent_loop,
    self_attention,
    time_call,
    time_lengths,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 3))
W_X, W_H = RNG.normal(size=(3, 4)), RNG.normal(size=(4, 4))


def test_the_loop_is_the_recurrence_step_by_step():
    states, steps = recurrent_loop(X, W_X, W_H)
    assert steps == len(X) and states.shape == (6, 4)
    h = np.zeros(4)
    for t in range(6):
        h = np.tanh(X[t] @ W_X + h @ W_H)
        np.testing.assert_allclose(states[t], h, atol=1e-12)


def test_each_state_depends_on_the_earlier_tokens_and_not_the_later():
    states, _ = recurrent_loop(X, W_X, W_H)
    changed = X.copy()
    changed[2] += 1.0
    new, _ = recurrent_loop(changed, W_X, W_H)
    np.testing.assert_array_equal(new[:2], states[:2])
    assert (np.abs(new[2:] - states[2:]).max(axis=1) > 0).all()


def test_self_attention_is_one_product_and_rows_do_not_wait_for_each_other():
    out = self_attention(X)
    np.testing.assert_allclose(out, attention(X, X, score_mode="scaled_dot")[0], atol=1e-12)
    # Any order of the queries gives the same rows: no output needs another output.
    order = RNG.permutation(len(X))
    rows = np.stack([attention(X[[i]], X, score_mode="scaled_dot")[0][0] for i in order])
    np.testing.assert_allclose(rows, out[order], atol=1e-12)


def test_multiply_adds():
    assert multiply_adds(16, 32) == {"recurrent": 2 * 16 * 32 * 32, "attention": 2 * 16 * 16 * 32}
    counts = multiply_adds(512, 32)
    assert counts["attention"] / counts["recurrent"] == 16.0


def test_growth_exponent_recovers_known_powers():
    n = np.array([16, 64, 256, 512])
    assert growth_exponent(n, 3 * n ** 2.0) == pytest.approx(2.0)
    assert growth_exponent(n, 0.5 * n) == pytest.approx(1.0)


def test_time_call_and_time_lengths_measure_something():
    assert time_call(np.sum, X, repeats=2) > 0
    rows = time_lengths([4, 8], d=4, repeats=1)
    assert [r.n for r in rows] == [4, 8] and [r.steps for r in rows] == [4, 8]
    assert all(r.recurrent_s > 0 and r.attention_s > 0 and r.ratio > 0 for r in rows)


@pytest.mark.parametrize("call, message", [
    (lambda: recurrent_loop(X[0], W_X, W_H), "x must have at least 2"),
    (lambda: recurrent_loop(X[None], W_X, W_H), "x must have shape"),
    (lambda: recurrent_loop(X, W_X[:2], W_H), "w_x must have shape"),
    (lambda: recurrent_loop(X, W_X, W_H[:3]), "w_h must have shape"),
    (lambda: self_attention(X[None]), "x must have shape"),
    (lambda: multiply_adds(0, 3), "n"),
    (lambda: time_call("not a function"), "fn must be a function"),
    (lambda: time_lengths([]), "at least one"),
    (lambda: time_lengths([4, 0]), "lengths"),
    (lambda: growth_exponent([1, 2], [1, 2, 3]), "same length"),
    (lambda: growth_exponent([1, 2], [1, -2]), "positive"),
    (lambda: growth_exponent([2, 2], [1, 2]), "two different"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_score_matrix_costs_grow_with_the_square_of_the_length():
    from attention_lib.parallelism import score_matrix_costs
    rows = score_matrix_costs([16, 64, 256], d=8, repeats=1)
    assert [r.weights_bytes for r in rows] == [16 * 16 * 8, 64 * 64 * 8, 256 * 256 * 8]
    assert all(r.peak_bytes >= r.weights_bytes and r.seconds > 0 for r in rows)
    assert growth_exponent([r.n for r in rows], [r.weights_bytes for r in rows]) == pytest.approx(2)
    # Twice the same shapes, the same peak: memory is printable, unlike time.
    again = score_matrix_costs([16, 64, 256], d=8, repeats=1)
    assert [r.peak_bytes for r in again] == [r.peak_bytes for r in rows]
    with pytest.raises(ValueError, match="at least one"):
        score_matrix_costs([])
