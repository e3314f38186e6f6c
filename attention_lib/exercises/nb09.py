"""Exercises of notebooks/09_learning_to_align_dates.ipynb: the alignment share by chance,
a field's share written by hand, and why the bottleneck model needs longer."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dates import date_format, render
from ._core import (
    Feedback,
    explained,
    make_cases,
    predicted_number,
    register,
    register_function,
    say_spaced,
)

#: Exercise 09.1: the day and the format whose chance share the student predicts.
CHANCE_DAY, CHANCE_FORMAT = "2026-12-01", ("en_GB", "medium")


@register("09.1", "Predict, then run: the day field's alignment share under uniform "
                  "attention for '1 Dec 2026'.")
def _predict_chance(answer: Any) -> Feedback:
    text, spans = render(CHANCE_DAY, date_format(*CHANCE_FORMAT))
    start, end = spans["day"]
    truth = (end - start) / len(text)
    n, day = len(text), end - start
    why = say_spaced(
        f"Uniform attention gives each of the {n} characters of {text!r} the weight 1/{n}, "
        f"and the day is {day} of them, so each of the day's output steps puts that share on "
        "it: the level a trained model must beat.",
        f"均匀注意力给 {text!r} 的 {n} 个字符各 1/{n} 的权重，而日字段占其中 {day} 个，"
        "所以写日的每个输出步骤放在日字段上的权重就是这么多：这是训练后的模型必须超过的"
        "随机水平。")
    return predicted_number(answer, truth, tolerance=0.005, why=why)


def _share(weights: np.ndarray, start: int, end: int, steps: np.ndarray) -> float:
    return float(weights[steps, start:end].sum(axis=1).mean())


def _draw(rng: np.random.Generator, n_source: int) -> tuple[Any, ...]:
    w = rng.random((10, n_source))
    w /= w.sum(axis=1, keepdims=True)
    start = int(rng.integers(0, n_source - 1))
    end = int(rng.integers(start + 1, n_source + 1))
    steps = np.sort(rng.choice(10, size=int(rng.integers(1, 5)), replace=False))
    return w, start, end, steps


register_function(
    "09.2", "Write my_field_share(weights, start, end, steps): the mean over the output "
            "steps `steps` of the weight that falls on source characters start..end-1.",
    _share, lambda: make_cases(9, [], [(12,), (5,), (29,), (2,)], _draw),
    name="my_field_share", atol=1e-9)


@register("09.3", "Explain in a sentence: why does the model without attention need more "
                  "training than the model with it, on the same dates?")
def _explain_bottleneck(answer: Any) -> Feedback:
    return explained(answer)
