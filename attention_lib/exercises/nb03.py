"""Exercises of notebooks/03_three_stage_computation.ipynb: the three stages."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import say
from ..softmax import softmax
from ._core import (
    Feedback,
    coarse_number,
    explained,
    predicted_number,
    register,
    register_function,
    say_spaced,
)

#: The experiment of exercise 03.3: the scaled dot score of random queries and keys
#: with d = 512 features, each query against 16 keys (as in the notebook's table).
DIM, N_KEYS, TRIALS, BLOCK = 512, 16, 1000, 250


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _log_softmax_cases() -> list[tuple[np.ndarray]]:
    rng = np.random.default_rng(3)
    # Small scores first; then scores whose exp overflows, and a row where one entry's
    # softmax underflows to 0 (so np.log(softmax(x)) is -inf there).
    return [(rng.normal(size=(2, 4)),), (np.array([1.0, 2.0, 3.0]),),
            (np.array([1000.0, 1001.0, 999.0]),),
            (np.array([[0.0, 1000.0], [-1000.0, 1000.0]]),)]


register_function("03.1", "Write log_softmax(x): the logarithm of the softmax along the last "
                  "axis, finite for scores like 1000 and -1000.", _log_softmax,
                  _log_softmax_cases, name="log_softmax")


@register("03.2", "q and k have d = 64 independent N(0, 1) entries: the number to multiply "
                  "q . k by so that the scores have variance 1.")
def _scale(answer: Any) -> Feedback:
    # A direction only for the known slips; any other wrong number just "is not right", so
    # the answer cannot be found by bisection.
    return coarse_number(
        answer, 1 / np.sqrt(64), name=say("your factor", "你的系数"), rtol=1e-6, band=None,
        mistakes=[(8.0, say_spaced("too high: that is sqrt(d) itself, the scores' standard "
                                   "deviation; you want to divide by it.",
                                   "太大了：这正是 sqrt(d) 本身，即评分的标准差；"
                                   "你要的是除以它。")),
                  (64.0, say_spaced("too high: that is d, the scores' variance.",
                                    "太大了：这是 d，即评分的方差。")),
                  (1 / 64, say_spaced("too low: multiplying by 1/d divides the variance by d "
                                      "squared.",
                                      "太小了：乘以 1/d 会把方差除以 d 的平方。"))],
        close=say_spaced("Hint: multiplying a score by c multiplies its variance by c squared.",
                         "提示：评分乘以 c，它的方差就乘以 c 的平方。"))


def mean_top_weights(dim: int = DIM, n_keys: int = N_KEYS, trials: int = TRIALS,
                     seed: int = 512) -> tuple[float, float]:
    """The experiment of exercise 03.3: over ``trials`` random queries, each against
    ``n_keys`` random keys (entries N(0, 1), from a generator seeded with ``seed``), the
    mean largest softmax weight of q . k / sqrt(dim) and of q . k: (scaled, unscaled)."""
    rng = np.random.default_rng(seed)
    scaled, plain = [], []
    for _ in range(0, trials, BLOCK):
        q = rng.standard_normal((BLOCK, 1, dim))
        k = rng.standard_normal((BLOCK, n_keys, dim))
        scores = (q @ np.swapaxes(k, -1, -2))[:, 0]
        scaled.append(softmax(scores / np.sqrt(dim)).max(axis=-1))
        plain.append(softmax(scores).max(axis=-1))
    return float(np.concatenate(scaled).mean()), float(np.concatenate(plain).mean())


@register("03.3", "Predict, then run: with the scaled score q . k / sqrt(d) at d = 512, the "
                  "mean top weight over 16 keys.")
def _predict_top_weight(answer: Any) -> Feedback:
    truth, unscaled = mean_top_weights()
    why = say_spaced(
        f"Divided by sqrt(d), the scores have standard deviation 1 at every d, so the "
        f"softmax over {N_KEYS} keys stays soft: the best key gets far less than the "
        f"{unscaled:.2f} of the unscaled score at the same d, though more than the "
        f"{1 / N_KEYS:.4f} of uniform weights.",
        f"除以 sqrt(d) 之后，无论 d 是多少，评分的标准差都是 1，所以 {N_KEYS} 个键上的 "
        f"softmax 保持柔和：最好的键得到的权重远小于同一 d 下未缩放评分的 {unscaled:.2f}，"
        f"但仍大于均匀权重的 {1 / N_KEYS:.4f}。")
    return predicted_number(answer, truth, tolerance=0.05, why=why)


@register("03.4", "Explain in a sentence: why is the softmax taken over each row of the "
                  "scores (over the keys) and not over each column (over the queries)?")
def _explain_rows(answer: Any) -> Feedback:
    return explained(answer)
