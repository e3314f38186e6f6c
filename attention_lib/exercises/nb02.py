"""Exercises of notebooks/02_what_is_attention.ipynb: hard and soft look-up."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..softmax import softmax
from ._core import Feedback, compare_array, compare_function, register

#: The notebook's word vectors (keys) and their values; the exercises restate them.
KEYS = np.array([[2.0, 0.5], [2.0, 1.5], [-2.0, 1.0], [-2.0, 2.5]])
VALUES = np.array([[4.0], [30.0], [1500.0], [12000.0]])


def _hard(query: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    return values[int(np.argmax(keys @ query))]


def _soft(query: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    return softmax(keys @ query) @ values


def _cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(2)
    cases = [(np.array([1.0, 0.5]), KEYS, VALUES)]
    for n, d, dv in [(3, 2, 2), (5, 4, 3), (6, 3, 1)]:
        cases.append((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=(n, dv))))
    return cases


@register("02.1", "Write hard_lookup(query, keys, values): the value of the key whose dot "
                  "product with the query is largest. Shapes (d,), (n, d), (n, dv) -> (dv,).")
def _hard_lookup(answer: Any) -> Feedback:
    return compare_function(answer, _hard, _cases(), name="hard_lookup")


@register("02.2", "The soft look-up weights of query (1.0, 0.5) over the four words, as an "
                  "array of shape (4,).")
def _weights(answer: Any) -> Feedback:
    expected = softmax(KEYS @ np.array([1.0, 0.5]))
    verdict = compare_array(answer, expected, name="your weights", rows_sum_to_one=True)
    if not verdict.ok and answer is not None:
        # compare_array checks row sums of 2-D answers; a single row is checked here.
        try:
            arr = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return verdict
        if arr.shape == expected.shape and np.isfinite(arr).all() and abs(arr.sum() - 1) > 1e-6:
            return Feedback(False, f"your weights sum to {arr.sum():.4g}; the weights of a "
                                   "look-up must sum to 1.")
    return verdict


@register("02.3", "Write soft_lookup(query, keys, values): softmax of the dot products, "
                  "then the weighted sum of the values. Shapes (d,), (n, d), (n, dv) -> (dv,).")
def _soft_lookup(answer: Any) -> Feedback:
    return compare_function(answer, _soft, _cases(), name="soft_lookup")
