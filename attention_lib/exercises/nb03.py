"""Exercises of notebooks/03_three_stage_computation.ipynb: the three stages."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import attention
from ..softmax import softmax
from ._core import Feedback, compare_function, compare_number, make_cases, register


def _softmax_cases() -> list[tuple[np.ndarray]]:
    rng = np.random.default_rng(3)
    # A 2-D case first: its hint names a row that does not sum to 1.
    return [(rng.normal(size=(2, 4)),), (np.array([1.0, 2.0, 3.0]),),
            (np.array([1000.0, 1001.0, 999.0]),),
            (np.array([[-1000.0, -1001.0], [710.0, 0.0]]),)]


@register("03.1", "Write stable_softmax(x): softmax along the last axis that stays finite "
                  "for scores like 1000.")
def _stable_softmax(answer: Any) -> Feedback:
    return compare_function(answer, lambda x: softmax(x, axis=-1), _softmax_cases(),
                            name="stable_softmax", rows_sum_to_one=True)


@register("03.2", "q and k have d = 64 independent N(0, 1) entries: the number to multiply "
                  "q . k by so that the scores have variance 1.")
def _scale(answer: Any) -> Feedback:
    return compare_number(answer, 1 / np.sqrt(64), name="your factor", rtol=1e-6)


def _attention_cases() -> list[tuple]:
    seed = (np.array([[1, 0.0, 1], [2, 3, 1]]), np.array([[1, 2.0, 2], [3, 1, 0.1]]),
            np.array([[2, 1.0, 1], [1, 4, 2]]))
    return make_cases(33, [seed], [(1, 3, 4, 2), (4, 2, 16, 5)],
                      lambda rng, tq, tv, d, dv: (rng.normal(size=(tq, d)) * 10,
                                                  rng.normal(size=(tv, d)) * 10,
                                                  rng.normal(size=(tv, dv))))


@register("03.3", "Write scaled_attention(query, key, value): the three stages with the "
                  "scaled dot score q.k / sqrt(d); shapes (Tq, d), (Tv, d), (Tv, dv) -> "
                  "(Tq, dv).")
def _scaled_attention(answer: Any) -> Feedback:
    return compare_function(
        answer, lambda q, k, v: attention(q, v, k, score_mode="scaled_dot")[0],
        _attention_cases(), name="scaled_attention")
