"""Exercises of notebooks/07_masks_and_self_attention.ipynb."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import say
from ..mask_rules import masked_softmax
from ..masks import additive_mask, causal_mask, padding_mask
from ._core import (
    Feedback,
    coarse_number,
    compare_array,
    compare_function,
    explained,
    register,
    say_spaced,
)


@register("07.1", "The additive mask (0 = attend, -1e9 = masked) of self-attention on 4 "
                  "positions with a causal mask and the last position padded, as a (4, 4) "
                  "array.")
def _additive(answer: Any) -> Feedback:
    allowed = causal_mask(4) & padding_mask(np.array(3), 4)[None, :]
    return compare_array(answer, additive_mask(allowed),
                         name=say("your additive mask", "你的加性掩码"), atol=1e-3)


@register("07.2", "Predict, then run: self-attention with Keras's Attention, all scores "
                  "equal, a causal mask and value_mask for a length-6 sequence whose last 2 "
                  "positions are padding: the weight query 4 gives key 0.")
def _weight(answer: Any) -> Feedback:
    allowed = causal_mask(6) & padding_mask(np.array(4), 6)[None, :]
    weights = masked_softmax(np.zeros((6, 6)), allowed)
    return coarse_number(
        answer, float(weights[4, 0]), name=say("your prediction", "你的预测"), rtol=1e-6,
        band=None,
        mistakes=[(1 / 5, say_spaced(
                      "too low: 1/5 shares the weight over keys 0 to 4, but key 4 is padding, "
                      "and value_mask hides it.",
                      "太小了：1/5 是把权重分给键 0 到 4，但键 4 是填充，value_mask 把它隐藏了。")),
                  (1 / 6, say_spaced(
                      "too low: 1/6 shares the weight over all 6 keys, but the causal mask "
                      "hides the keys after 4, and value_mask the padding.",
                      "太小了：1/6 是把权重分给全部 6 个键，但因果掩码隐藏了 4 之后的键，"
                      "value_mask 隐藏了填充。")),
                  (0.0, say_spaced(
                      "too low: key 0 is neither after query 4 nor padding, so it is not "
                      "masked.",
                      "太小了：键 0 既不在查询 4 之后，也不是填充，所以它没有被掩蔽。")),
                  (1.0, say("too high: with equal scores no allowed key gets all the weight.",
                            "太大了：评分都相等时，没有哪个允许关注的键能得到全部权重。"))],
        close=say_spaced(
            "With equal scores each key a query may see gets the same weight, 1 / (the number "
            "of such keys). Count the keys query 4 may see: not after it, not padding.",
            "评分都相等时，查询能看到的每个键得到相同的权重：1 /（这样的键的个数）。数一数查询 "
            "4 能看到的键：不在它之后，也不是填充。"),
        right=say_spaced(
            "Query 4 may see keys 0 to 4 (causal), key 4 is padding, so keys 0 to 3 share the "
            "weight equally.",
            "查询 4 能看到键 0 到 4（因果掩码），而键 4 是填充，所以键 0 到 3 平分权重。"))


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
                  "MultiHeadAttention's explicit path (return_attention_scores=True) gives "
                  "them.")
def _my_masked_softmax(answer: Any) -> Feedback:
    return compare_function(
        answer, lambda s, a: masked_softmax(s, a, fully_masked="zeros"), _cases(),
        name="my_masked_softmax")


@register("07.4", "Explain in a sentence: why does a fully masked query of MultiHeadAttention "
                  "get the output bias when the scores are returned, and the projected average "
                  "of the values in a normal call?")
def _explain_two_paths(answer: Any) -> Feedback:
    return explained(answer)
