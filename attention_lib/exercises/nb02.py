"""Exercises of notebooks/02_what_is_attention.ipynb: hard and soft look-up.

Also the checks of two kinds of exercise, used by notebooks 03 and 04 too:
:func:`predicted_number` for predict-then-run (the student's guess is written down before
the run; the run computes the truth, and the verdict shows it and says why) and
:func:`explained` for explain-in-a-sentence (the checker can only see that a sentence was
written; the notebook folds a model answer below).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..softmax import softmax
from ._core import (
    Feedback,
    compare_array,
    explained,
    predicted_number,
    register,
    register_function,
)

#: The notebook's word vectors (keys) and their values; the exercises restate them.
WORDS = ("cat", "dog", "car", "bus")
KEYS = np.array([[2.0, 0.5], [2.0, 1.5], [-2.0, 1.0], [-2.0, 2.5]])
VALUES = np.array([[4.0], [30.0], [1500.0], [12000.0]])
#: The query of exercise 02.2, "a truck": a vehicle, bigger than a car. It appears nowhere
#: above the exercise, so its weights are not on screen.
TRUCK = np.array([-1.0, 2.0])
#: The query and scale of exercise 02.4 (the notebook's puppy, nearly uniform weights).
PUPPY = np.array([1.0, 0.5])
SMALL_SCALE = 0.01


# -- notebook 02 --------------------------------------------------------------------------

def _hard(query: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    return values[int(np.argmax(keys @ query))]


def _soft(query: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    return softmax(keys @ query) @ values


def _cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(2)
    cases = [(PUPPY.copy(), KEYS, VALUES)]
    for n, d, dv in [(3, 2, 2), (5, 4, 3), (6, 3, 1)]:
        cases.append((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=(n, dv))))
    return cases


register_function("02.1", "Write hard_lookup(query, keys, values): the value of the key whose "
                  "dot product with the query is largest. Shapes (d,), (n, d), (n, dv) -> "
                  "(dv,).", _hard, _cases, name="hard_lookup")
register_function("02.3", "Write soft_lookup(query, keys, values): softmax of the dot "
                  "products, then the weighted sum of the values. Shapes (d,), (n, d), "
                  "(n, dv) -> (dv,).", _soft, _cases, name="soft_lookup")


@register("02.2", "The soft look-up weights of the query 'truck' (-1.0, 2.0) over the four "
                  "words, as an array of shape (4,).")
def _weights(answer: Any) -> Feedback:
    expected = softmax(KEYS @ TRUCK)
    verdict = compare_array(answer, expected, name="your weights", rows_sum_to_one=True)
    if not verdict.ok and answer is not None:
        # compare_array checks row sums of 2-D answers; a single row is checked here.
        try:
            arr = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return verdict
        if arr.shape == expected.shape and np.isfinite(arr).all() and abs(arr.sum() - 1) > 1e-6:
            return Feedback(False, f"your weights sum to {arr.sum():.4g}; the weights of a "
                                   "look-up must sum to 1.")
    return verdict


@register("02.4", "Predict, then run: the soft answer (kg) of the puppy query (1.0, 0.5) "
                  "at scale 0.01.")
def _predict_small_scale(answer: Any) -> Feedback:
    truth = float((softmax(SMALL_SCALE * (KEYS @ PUPPY)) @ VALUES)[0])
    mean = float(VALUES.mean())
    spread = float(np.ptp(SMALL_SCALE * (KEYS @ PUPPY)))
    why = (f"At scale {SMALL_SCALE:g} the four scores differ by at most {spread:.3f}, so "
           f"every weight is close to 1/{len(WORDS)} and the answer is close to the plain "
           f"average of the values, {mean:.1f} kg: the 12-tonne bus counts almost as much "
           "as the dog, and the puppy comes out heavier than the car.")
    return predicted_number(answer, truth, tolerance=0.05 * truth, why=why, unit=" kg")


@register("02.5", "Explain in a sentence: why can a network learn with the soft look-up "
                  "but not with the hard one?")
def _explain_soft(answer: Any) -> Feedback:
    return explained(answer)
