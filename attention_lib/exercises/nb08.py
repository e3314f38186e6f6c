"""Exercises of notebooks/08_the_papers_in_code.ipynb: ABCNN's matrix, local-p's Gaussian,
Bahdanau's additive scores, and the size of MultiHeadAttention."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..abcnn import match_score
from ..data import toy_translation
from ..i18n import say
from ..local_attention import gaussian_window
from ..scores import additive_score
from ._core import Feedback, compare_array, compare_function, compare_number, register

#: The two toy sentences of exercise 08.1 (one row per word, 2 features).
ABCNN_X = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
ABCNN_Y = np.array([[0.0, 0.0], [0.0, 4.0]])


@register("08.1", "ABCNN's attention matrix A[i, j] = 1 / (1 + |x_i - y_j|) for the "
                  "sentences x (3 words) and y (2 words) given in the notebook.")
def _abcnn_matrix(answer: Any) -> Feedback:
    return compare_array(answer, match_score(ABCNN_X, ABCNN_Y),
                         name=say("your attention matrix", "你的注意力矩阵"))


@register("08.2", "Local-p with p_t = 2.5, D = 2 and S = 8 source positions: the "
                  "Gaussian factor at source position s = 4.")
def _gaussian(answer: Any) -> Feedback:
    return compare_number(answer, float(gaussian_window(2.5, 8, 2)[4]),
                          name=say("your Gaussian factor", "你的高斯因子"), rtol=1e-4)


def _bahdanau_cases() -> list[tuple[np.ndarray, ...]]:
    toy = toy_translation()
    rng = np.random.default_rng(8)
    cases: list[tuple[np.ndarray, ...]] = [(toy.queries, toy.annotations, toy.w_query,
                                            toy.w_key, toy.v)]
    for tq, tv, dq, dk, units in [(1, 1, 2, 2, 1), (3, 5, 4, 2, 6), (2, 7, 3, 5, 4)]:
        cases.append((rng.normal(size=(tq, dq)), rng.normal(size=(tv, dk)),
                      rng.normal(size=(dq, units)), rng.normal(size=(dk, units)),
                      rng.normal(size=units)))
    return cases


@register("08.3", "Write my_bahdanau_scores(states, annotations, w_q, w_k, v): Bahdanau's "
                  "additive scores v^T tanh(W_q s_i + W_k h_j), shape (Tq, Tv).")
def _bahdanau_scores(answer: Any) -> Feedback:
    return compare_function(answer, additive_score, _bahdanau_cases(),
                            name="my_bahdanau_scores", atol=1e-9)


@register("08.4", "The number of trainable numbers (kernels and biases) in "
                  "MultiHeadAttention(num_heads=4, key_dim=8) applied to inputs with 16 "
                  "features.")
def _parameter_count(answer: Any) -> Feedback:
    d, heads, key_dim = 16, 4, 8
    projections = 3 * (d * heads * key_dim + heads * key_dim)
    output = heads * key_dim * d + d
    return compare_number(answer, projections + output, name=say("your count", "你的计数"),
                          rtol=0)
