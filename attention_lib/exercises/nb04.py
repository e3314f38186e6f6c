"""Exercises of notebooks/04_keras_attention_api.ipynb."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import attention
from ..data import seed_arrays
from ..i18n import say
from ..scores import concat_score
from ._core import (
    NOT_ANSWERED,
    Feedback,
    compare_array,
    compare_function,
    explained,
    register,
    say_spaced,
    spaced,
)

#: Exercise 04.3's mask: every key of the seed's experiment 5.2 masked.
EVERY_KEY_MASKED = [False, False]
#: How close a predicted weight must be: the lesson is which weights come out, not digits.
PREDICTION_ATOL = 0.01


@register("04.1", "Stage 1 by hand: the score matrix of Attention()([value_data, "
                  "value_data]), the seed's value attending to itself, as a (2, 2) array.")
def _self_scores(answer: Any) -> Feedback:
    v = seed_arrays()["value"]
    return compare_array(answer, v @ v.T, name=say("your score matrix", "你的评分矩阵"))


def _concat_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    s = seed_arrays()
    cases: list[tuple] = [(s["query"], s["key"], 0.5, 2.0), (s["query"], s["key"], 1.0, 1.0)]
    for tq, tv, d, scale, weight in [(1, 4, 3, 3.0, -0.5), (5, 2, 4, 0.2, 1.5)]:
        cases.append((rng.normal(size=(tq, d)), rng.normal(size=(tv, d)), scale, weight))
    return cases


@register("04.2", "Write concat_scores(query, key, scale, weight): Keras's concat scores "
                  "weight * sum_f tanh(scale * (q_f + k_f)), shapes (Tq, d), (Tv, d) -> "
                  "(Tq, Tv).")
def _concat_scores(answer: Any) -> Feedback:
    return compare_function(
        answer, lambda q, k, scale, weight: concat_score(q, k, scale=float(scale),
                                                         weight=float(weight)),
        _concat_cases(), name="concat_scores")


@register("04.3", "Predict, then run: the (2, 2) weights Keras gives on the seed's "
                  "experiment 5.2 when value_mask masks every key.")
def _predict_all_masked(answer: Any) -> Feedback:
    s = seed_arrays()
    _, truth = attention(s["query"], s["value"], s["key"], value_mask=EVERY_KEY_MASKED)
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    try:
        guess = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        kind = type(answer).__name__
        return Feedback(False, say_spaced(
            f"your prediction should be a (2, 2) array of numbers (np.nan is allowed); got "
            f"{kind}.",
            f"你的预测应当是一个 (2, 2) 的数值数组（可以用 np.nan）；得到的是 {kind}。"))
    if guess.shape != truth.shape:
        return Feedback(False, say_spaced(
            f"your prediction has shape {guess.shape}; the weights have shape {truth.shape}, "
            "one row per query, one column per key.",
            f"你的预测的形状是 {guess.shape}；权重的形状是 {truth.shape}，每个查询一行，"
            "每个键一列。"))
    tv = truth.shape[-1]
    why = say_spaced(
        "Keras does not drop a masked key: it subtracts 1e9 from its score. With every key "
        "masked, every score drops by the same 1e9, and float32 (about 7 significant digits) "
        "cannot keep the small differences between them, so the scores are equal and the "
        f"softmax gives each of the {tv} keys 1/{tv}. No NaN (nothing is divided by 0) and no "
        "zeros (softmax weights always sum to 1).",
        "Keras 并不丢掉被掩蔽的键，而是从它的评分中减去 1e9。所有键都被掩蔽时，每个评分都减去"
        "同样的 1e9，而 float32（约 7 位有效数字）保不住评分之间的微小差别，于是评分全都相等，"
        f"softmax 给 {tv} 个键各 1/{tv} 的权重。不会出现 NaN（没有除以 0），也不会出现 0"
        "（softmax 权重之和总是 1）。")
    shown = np.array2string(truth, precision=3)
    if np.isfinite(guess).all() and np.abs(guess - truth).max() <= PREDICTION_ATOL:
        return Feedback(True, say(f"the run gives {shown}, as you predicted. {why}",
                                  spaced(f"运行得到 {shown}，与你的预测一致。") + why))
    guessed = np.array2string(guess, precision=3)
    return Feedback(False, say(f"you predicted {guessed}; the run gives {shown}. {why}",
                               spaced(f"你预测的是 {guessed}；运行得到 {shown}。") + why))


@register("04.4", "Explain in a sentence: Attention() has no trainable weights, so what "
                  "does a network that uses it learn?")
def _explain_no_weights(answer: Any) -> Feedback:
    return explained(answer)
