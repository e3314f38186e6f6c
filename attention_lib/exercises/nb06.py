"""Exercises of notebooks/06_keras_attention_layers.ipynb, and :func:`coarse_number`, the
number check of the prediction exercises in notebooks 06 and 07."""

from __future__ import annotations

from typing import Any

from ..core import additive_attention
from ..i18n import say
from ._core import (
    NOT_ANSWERED,
    Feedback,
    coarse_number,
    compare_function,
    explained,
    make_cases,
    register,
    say_spaced,
)

_SCORES_SHAPE = (2, 4, 5, 7)


@register("06.1", "The shape of the attention scores MultiHeadAttention(num_heads=4, "
                  "key_dim=8) returns for a query (2, 5, 16) and a value (2, 7, 16).")
def _scores_shape(answer: Any) -> Feedback:
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    try:
        got = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return Feedback(False, say_spaced(
            "your shape should be a tuple of whole numbers, like (2, 3).",
            "你的形状应当是一个由整数构成的元组，例如 (2, 3)。"))
    if len(got) != len(_SCORES_SHAPE):
        return Feedback(False, say_spaced(
            f"your shape has {len(got)} axes; the scores have one for the batch, one for the "
            "heads, and one each for queries and keys.",
            f"你的形状有 {len(got)} 个轴；评分有一个批量轴、一个头的轴，查询和键也各有一个轴。"))
    wrong = [i for i, (g, e) in enumerate(zip(got, _SCORES_SHAPE, strict=True)) if g != e]
    if wrong:
        return Feedback(False, say_spaced(
            f"axis {wrong[0]} of your shape is off; the order is (batch, heads, query "
            "positions, key positions).",
            f"你的形状中轴 {wrong[0]} 不对；轴的顺序是（批量，头，查询位置，键位置）。"))
    return Feedback(True, say_spaced(f"the scores have shape {got}.",
                                     f"评分的形状是 {got}。"))


@register("06.2", "How many numbers get_weights() holds for MultiHeadAttention("
                  "num_heads=2, key_dim=3, value_dim=5) called on a query with 4 features "
                  "and a value with 6 (key = value).")
def _weight_count(answer: Any) -> Feedback:
    heads, key_dim, value_dim, dq, dv = 2, 3, 5, 4, 6
    total = (dq * heads * key_dim + heads * key_dim        # query kernel and bias
             + dv * heads * key_dim + heads * key_dim      # key kernel and bias
             + dv * heads * value_dim + heads * value_dim  # value kernel and bias
             + heads * value_dim * dq + dq)                # output kernel and bias
    kernels = (dq * heads * key_dim + dv * heads * key_dim + dv * heads * value_dim
               + heads * value_dim * dq)
    value_as_query = total - (dv - dq) * heads * (key_dim + value_dim)
    output_to_value = total + heads * value_dim * (dv - dq) + (dv - dq)
    return coarse_number(
        answer, float(total), name=say("your count", "你的计数"), rtol=0.0, atol=0.5,
        band=0.05,
        mistakes=[(value_as_query, say_spaced(
                      "too low: that is the count for a value with 4 features, like the "
                      "notebook's layer; here the value, and so the key, has 6.",
                      "太小了：这是值有 4 个特征时的个数，就像本笔记本里的那个层；这里的值有 6 "
                      "个特征，键（等于值）也是。")),
                  (kernels, say("too low: you counted only the kernels; each projection has a "
                                "bias too.",
                                "太小了：你只数了核；每个投影还有一个偏置。")),
                  (output_to_value, say_spaced(
                      "too high: the output projection maps back to the query's 4 features, "
                      "not the value's 6.",
                      "太大了：输出投影映射回查询的 4 个特征，而不是值的 6 个特征。"))],
        close=say("Recount one kernel or one bias: the notebook's table of the eight arrays "
                  "gives their shapes.",
                  "重新数一数某个核或某个偏置：本笔记本中列出八个数组的那张表给出了它们的形状。"))


def _cases() -> list[tuple]:
    return make_cases(6, [], [(2, 3, 4, 2), (1, 5, 3, 3), (4, 2, 2, 5)],
                      lambda rng, tq, tv, d, dv: (rng.normal(size=(tq, d)),
                                                  rng.normal(size=(tv, dv)),
                                                  rng.normal(size=(tv, d)),
                                                  rng.uniform(-1, 1, size=d)))


@register("06.3", "Write my_additive_weights(query, value, key, scale) returning the "
                  "attention weights of AdditiveAttention(use_scale=True) for 2-D inputs "
                  "and its (d,) scale weight.")
def _my_additive(answer: Any) -> Feedback:
    return compare_function(
        answer, lambda q, v, k, s: additive_attention(q, v, k, scale=s)[1], _cases(),
        name="my_additive_weights", rows_sum_to_one=True)


@register("06.4", "Predict, then run: Attention(dropout=0.25) called with training=True: "
                  "what a weight of 0.3 becomes when dropout keeps it.")
def _dropout_survivor(answer: Any) -> Feedback:
    weight, rate = 0.3, 0.25
    return coarse_number(
        answer, weight / (1 - rate), name=say("your prediction", "你的预测"), rtol=1e-6,
        band=0.1,
        mistakes=[(weight, say_spaced(
                      "too low: that is the weight before dropout, but a kept weight is scaled "
                      "up, so that the weight's expected value stays 0.3 when some are "
                      "dropped.",
                      "太小了：这是暂退之前的权重，但被保留的权重会被放大，这样在一部分权重被"
                      "丢弃时，权重的期望值仍是 0.3。")),
                  (weight * (1 - rate), say_spaced(
                      "too low: Keras does not multiply a kept weight by the keep "
                      "probability; it divides by it.",
                      "太小了：Keras 不是把保留的权重乘以保留概率，而是除以它。")),
                  (weight * rate, say_spaced(
                      "too low: a kept weight is divided, not multiplied, by the keep "
                      "probability 1 - rate.",
                      "太小了：保留的权重是除以保留概率 1 - rate，而不是乘以它。")),
                  (weight / rate, say_spaced(
                      "too high: a kept weight is divided by the keep probability, 1 - rate, "
                      "not by the rate.",
                      "太大了：保留的权重除以的是保留概率 1 - rate，而不是 rate。")),
                  (0.0, say_spaced(
                      "too low: 0 is what a dropped weight becomes; this one is kept.",
                      "太小了：被丢弃的权重才会变成 0；这个权重被保留了。"))],
        close=say("Which number are the survivors divided by?",
                  "保留下来的权重除以的是哪个数？"),
        right=say_spaced("Kept weights are divided by the keep probability 1 - rate, so that "
                         "on average over the random draws each weight keeps its value.",
                         "保留的权重要除以保留概率 1 - rate，这样对随机抽取取平均时，每个权重"
                         "都保持原来的值。"))


@register("06.5", "Explain in a sentence: why does Attention(dropout=...) scale the kept "
                  "weights up in training, when in inference it leaves every weight as it is?")
def _explain_dropout_scaling(answer: Any) -> Feedback:
    return explained(answer)
