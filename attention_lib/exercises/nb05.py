"""Exercises of notebooks/05_why_attention.ipynb (numpy only: no training needed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..reversal import anti_diagonal_share, reversal_targets, token_accuracy
from ._core import Feedback, compare_function, make_cases, register


def _padded(rng: np.random.Generator, lengths: list[int], width: int) -> np.ndarray:
    tokens = rng.integers(2, 10, size=(len(lengths), width))
    return np.where(np.arange(width)[None, :] < np.array(lengths)[:, None], tokens, 0)


def _target_cases() -> list[tuple]:
    return make_cases(5, [(np.array([[2, 3, 4, 0, 0]]), np.array([3]))],
                      [([1, 4, 6], 6), ([7, 2, 5, 7], 9)],
                      lambda rng, lengths, width: (_padded(rng, lengths, width),
                                                   np.array(lengths)))


@register("05.1", "Write my_reversal_targets(source, lengths): each padded source row "
                  "with its first `length` tokens reversed and padding (0) after them.")
def _targets(answer: Any) -> Feedback:
    return compare_function(answer, reversal_targets, _target_cases(),
                            name="my_reversal_targets")


def _accuracy_case(rng: np.random.Generator, lengths: list[int], width: int) -> tuple:
    target = _padded(rng, lengths, width)
    # Right on some tokens, wrong on others, and never scored on the padding.
    noise = rng.integers(2, 10, size=target.shape)
    predictions = np.where(rng.random(target.shape) < 0.6, target, noise)
    predictions[target == 0] = rng.integers(2, 10, size=int((target == 0).sum()))
    return predictions, target, np.array(lengths)


def _accuracy_cases() -> list[tuple]:
    fixed = (np.array([[4, 3, 9, 0, 0]]), np.array([[4, 3, 2, 0, 0]]), np.array([3]))
    return make_cases(6, [fixed], [([2, 5, 3], 5), ([8, 1, 4, 6], 8)], _accuracy_case)


@register("05.2", "Write my_token_accuracy(predictions, target, lengths): for each "
                  "sequence, the share of its first `length` tokens predicted right.")
def _accuracy(answer: Any) -> Feedback:
    return compare_function(answer, token_accuracy, _accuracy_cases(),
                            name="my_token_accuracy")


def _weights_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    cases = []
    for lengths, width in [([3], 3), ([2, 4, 3], 4), ([5, 1, 6, 6], 6)]:
        w = rng.random((len(lengths), width, width)) ** 4
        for i, length in enumerate(lengths):
            w[i, :, length:] = 0  # padded source positions get no weight
            for t in range(length):
                if rng.random() < 0.6:  # most steps peak on the anti-diagonal
                    w[i, t, length - 1 - t] = 2.0
        w /= np.maximum(w.sum(axis=-1, keepdims=True), 1e-12)
        cases.append((w, np.array(lengths)))
    return cases


@register("05.3", "Write my_anti_diagonal_share(weights, lengths): the share of decoder "
                  "steps (padding left out) whose largest weight is on source position "
                  "length - 1 - step.")
def _anti_diagonal(answer: Any) -> Feedback:
    def reference(w: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        return np.asarray(anti_diagonal_share(w, lengths))

    return compare_function(answer, reference, _weights_cases(),
                            name="my_anti_diagonal_share")
