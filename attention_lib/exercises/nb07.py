"""Exercises of notebooks/07_masks_and_self_attention.ipynb."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..mask_rules import masked_softmax
from ..masks import additive_mask, causal_mask, padding_mask
from ._core import Feedback, compare_array, compare_function, compare_number, register


@register("07.1", "The additive mask (0 = attend, -1e9 = masked) of self-attention on 4 "
                  "positions with a causal mask and the last position padded, as a (4, 4) "
                  "array.")
def _additive(answer: Any) -> Feedback:
    allowed = causal_mask(4) & padding_mask(np.array(3), 4)[None, :]
    return compare_array(answer, additive_mask(allowed), name="your additive mask",
                         atol=1e-3)


@register("07.2", "Self-attention with Keras's Attention, all scores equal, a causal mask "
                  "and value_mask for a length-6 sequence whose last 2 positions are "
                  "padding: the weight query 4 gives key 0.")
def _weight(answer: Any) -> Feedback:
    allowed = causal_mask(6) & padding_mask(np.array(4), 6)[None, :]
    weights = masked_softmax(np.zeros((6, 6)), allowed)
    return compare_number(answer, float(weights[4, 0]), name="your weight", rtol=1e-6)


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    scores = rng.normal(size=(3, 4)) * 3
    allowed = np.array([[True, True, False, True], [False, False, False, False],
                        [False, True, False, False]])
    big = rng.normal(size=(2, 5, 5)) * 50
    return [(scores, allowed), (big, np.broadcast_to(causal_mask(5), (2, 5, 5)).copy()),
            (rng.normal(size=(1, 3)), np.zeros((1, 3), dtype=bool))]


@register("07.3", "Write my_masked_softmax(scores, allowed): the softmax over the last "
                  "axis with masked keys at 0 and fully masked rows all zeros, as "
                  "MultiHeadAttention gives them.")
def _my_masked_softmax(answer: Any) -> Feedback:
    return compare_function(
        answer, lambda s, a: masked_softmax(s, a, fully_masked="zeros"), _cases(),
        name="my_masked_softmax")
