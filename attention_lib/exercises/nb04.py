"""Exercises of notebooks/04_keras_attention_api.ipynb."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import attention
from ..data import seed_arrays
from ._core import Feedback, compare_array, compare_function, compare_number, register


@register("04.1", "Stage 1 by hand: the score matrix of the seed's query-key-value "
                  "experiment, as a (2, 2) array.")
def _scores(answer: Any) -> Feedback:
    s = seed_arrays()
    return compare_array(answer, s["query"] @ s["key"].T, name="your score matrix")


@register("04.2", "A layer with use_scale and its scale weight set to 2.0: the weight "
                  "query 1 gives key 0 in the seed's query-key-value experiment.")
def _scaled_weight(answer: Any) -> Feedback:
    s = seed_arrays()
    _, w = attention(s["query"], s["value"], s["key"], scale=2.0)
    return compare_number(answer, float(w[1, 0]), name="your weight", rtol=1e-4)


def _cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(4)
    s = seed_arrays()
    cases = [(s["query"], s["value"], s["key"])]
    for tq, tv, d, dv in [(1, 4, 3, 2), (5, 2, 4, 6)]:
        cases.append((rng.normal(size=(tq, d)), rng.normal(size=(tv, dv)),
                      rng.normal(size=(tv, d))))
    return cases


@register("04.3", "Write my_attention(query, value, key) returning the output of "
                  "Keras's Attention() (dot score, no scale) for 2-D inputs.")
def _my_attention(answer: Any) -> Feedback:
    return compare_function(answer, lambda q, v, k: attention(q, v, k)[0], _cases(),
                            name="my_attention")
