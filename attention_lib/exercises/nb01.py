"""Exercises of notebooks/01_history_of_attention.ipynb."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..abcnn import match_score
from ..core import attention
from ..local_attention import gaussian_window
from ._core import Feedback, compare_array, compare_function, compare_number, register

#: The two toy sentences of exercise 01.1 (one row per word, 2 features).
ABCNN_X = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
ABCNN_Y = np.array([[0.0, 0.0], [0.0, 4.0]])


@register("01.1", "ABCNN's attention matrix A[i, j] = 1 / (1 + |x_i - y_j|) for the "
                  "sentences x (3 words) and y (2 words) given in the notebook.")
def _abcnn_matrix(answer: Any) -> Feedback:
    return compare_array(answer, match_score(ABCNN_X, ABCNN_Y),
                         name="your attention matrix")


@register("01.2", "Local-p with p_t = 2.5, D = 2 and S = 8 source positions: the "
                  "Gaussian factor at source position s = 4.")
def _gaussian(answer: Any) -> Feedback:
    return compare_number(answer, float(gaussian_window(2.5, 8, 2)[4]),
                          name="your Gaussian factor", rtol=1e-4)


def _cases() -> list[tuple[np.ndarray]]:
    rng = np.random.default_rng(1)
    return [(rng.normal(size=(t, d)),) for t, d in [(3, 4), (1, 2), (5, 8)]]


@register("01.3", "Write my_self_attention(x) returning the (T, T) weights of scaled "
                  "dot-product self-attention of x (T, d), with no projections.")
def _self_attention(answer: Any) -> Feedback:
    return compare_function(answer, lambda x: attention(x, x, score_mode="scaled_dot")[1],
                            _cases(), name="my_self_attention", rows_sum_to_one=True)


@register("01.4", "The number of trainable numbers (kernels and biases) in "
                  "MultiHeadAttention(num_heads=4, key_dim=8) applied to inputs with 16 "
                  "features.")
def _parameter_count(answer: Any) -> Feedback:
    d, heads, key_dim = 16, 4, 8
    projections = 3 * (d * heads * key_dim + heads * key_dim)
    output = heads * key_dim * d + d
    return compare_number(answer, projections + output, name="your count", rtol=0)
