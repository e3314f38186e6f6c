"""Exercises of notebooks/10_from_attention_to_the_transformer.ipynb: self-attention under
a shuffle, the positional encoding written by hand, the memory of the n x n weights, and
why a decoder needs its causal mask."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import say
from ..multihead import init_multihead_weights, multi_head_attention
from ..transformer import permutation_gap, positional_encoding
from ._core import (
    Feedback,
    coarse_number,
    compare_function,
    explained,
    predicted_number,
    register,
    say_spaced,
)

#: Exercise 10.3: the sequence length and the bytes of one float32 weight.
LONG_N, FLOAT32_BYTES = 4096, 4


@register("10.1", "Predict, then run: the largest difference between self-attention of "
                  "shuffled tokens and the shuffled self-attention of the tokens, for the "
                  "reversed order of 5 random tokens.")
def _predict_shuffle(answer: Any) -> Feedback:
    rng = np.random.default_rng(10)
    x = rng.normal(size=(5, 6))
    weights = init_multihead_weights(rng, 6, num_heads=2, key_dim=3)
    gap = permutation_gap(lambda t: multi_head_attention(t, t, weights=weights)[0], x,
                          [4, 3, 2, 1, 0])
    why = say_spaced(
        "Self-attention is permutation-equivariant: every token meets the same others with "
        "the same scores in any order, so reversing the tokens reverses the outputs; the "
        "difference is float rounding, at most about 1e-15.",
        "自注意力是置换等变的：无论顺序如何，每个词元都以同样的评分遇到同样的其他词元，所以把"
        "词元倒过来，输出也跟着倒过来；差值只是浮点舍入误差，至多约 1e-15。")
    return predicted_number(answer, gap, tolerance=1e-9, why=why)


def _cases() -> list[tuple[int, int]]:
    return [(1, 2), (6, 4), (50, 16), (3, 32)]


@register("10.2", "Write my_positional_encoding(length, d_model): the sinusoidal "
                  "encoding, shape (length, d_model).")
def _positional(answer: Any) -> Feedback:
    return compare_function(answer, positional_encoding, _cases(),
                            name="my_positional_encoding", atol=1e-9)


@register("10.3", "The memory, in MiB, of the 4096 x 4096 attention weights of one head "
                  "in float32.")
def _memory(answer: Any) -> Feedback:
    expected = LONG_N * LONG_N * FLOAT32_BYTES / 2**20
    return coarse_number(
        answer, expected, name=say("your size", "你的大小"),
        mistakes=[(LONG_N * FLOAT32_BYTES / 2**20, say_spaced(
                      f"the size of one row; there are {LONG_N} rows.",
                      f"这是一行的大小；一共有 {LONG_N} 行。")),
                  (expected * 2, say_spaced(
                      "the size in float64 (8 bytes); float32 takes 4.",
                      "这是 float64（8 字节）下的大小；float32 每个数只占 4 字节。")),
                  (LONG_N * LONG_N * FLOAT32_BYTES / 1e6, say_spaced(
                      "in megabytes (10^6 bytes); a MiB is 2^20 bytes.",
                      "这是以兆字节（10^6 字节）计的大小；1 MiB 是 2^20 字节。"))],
        close=say_spaced("Count the numbers, times the bytes of one, over 2^20.",
                         "数的个数，乘以一个数的字节数，再除以 2^20。"),
        right=say_spaced("n^2 numbers: twice the length, four times the memory.",
                         "n^2 个数：长度翻倍，内存就变为四倍。"))


@register("10.4", "Explain in a sentence: why does the decoder's self-attention need the "
                  "causal mask in training, when at test time there is nothing later to "
                  "see?")
def _explain_causal(answer: Any) -> Feedback:
    return explained(answer)
