"""Exercises of notebooks/00_start_here.ipynb: one of each kind of answer (a number, an
array, a function), so a student meets the checker before the real work."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import say
from ..softmax import softmax
from ._core import Feedback, compare_array, compare_function, compare_number, register

#: The seed article's first query and key.
QUERY = np.array([1.0, 0.0, 1.0])
KEY = np.array([1.0, 2.0, 2.0])


@register("00.1", "A number: the dot-product score of query (1, 0, 1) with key (1, 2, 2).")
def _score(answer: Any) -> Feedback:
    return compare_number(answer, float(QUERY @ KEY), name=say("your score", "你的评分"))


@register("00.2", "An array: the softmax weights of the scores [1, 2, 3] (scale 1), "
                  "shape (3,).")
def _weights(answer: Any) -> Feedback:
    return compare_array(answer, softmax(np.array([1.0, 2.0, 3.0])),
                         name=say("your weights", "你的权重"), rows_sum_to_one=True, atol=1e-4)


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(0)
    cases = [(QUERY, np.stack([KEY, [3.0, 1.0, 0.1]]))]
    for n, d in [(1, 2), (4, 3), (6, 5)]:
        cases.append((rng.normal(size=d), rng.normal(size=(n, d))))
    return cases


@register("00.3", "A function: dot_scores(query, keys), the dot product of the query with "
                  "every key. Shapes (d,), (n, d) -> (n,).")
def _dot_scores(answer: Any) -> Feedback:
    return compare_function(answer, lambda q, k: k @ q, _cases(), name="dot_scores")
