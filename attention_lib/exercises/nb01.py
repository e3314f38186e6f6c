"""Exercises of notebooks/01_a_short_history.ipynb: a glimpse's size, the number of
scores a translation decoder computes, and why hard attention needs REINFORCE."""

from __future__ import annotations

from typing import Any

from ..glimpse import glimpse
from ..history import grace_hopper
from ._core import Feedback, coarse_number, explained, predicted_number, register

#: The glimpse of exercise 01.1: scales and patch side (not the ones the notebook shows).
GLIMPSE_SCALES, GLIMPSE_PATCH = 2, 5
#: Exercise 01.2: target and source sentence lengths.
TARGET_WORDS, SOURCE_WORDS = 20, 30


@register("01.1", "Predict, then run: the number of values in a glimpse of 2 scales of "
                  "5 x 5 at the centre of the full-size photograph.")
def _predict_glimpse(answer: Any) -> Feedback:
    full = grace_hopper(downsample=1)
    g = glimpse(full, (full.shape[0] // 2, full.shape[1] // 2), patch=GLIMPSE_PATCH,
                scales=GLIMPSE_SCALES)
    why = (f"Every scale is shrunk to the same {GLIMPSE_PATCH} x {GLIMPSE_PATCH} square, so "
           f"the glimpse holds {GLIMPSE_SCALES} x {GLIMPSE_PATCH * GLIMPSE_PATCH} values "
           f"whatever the image; the photograph has {full.size:,} pixels.")
    return predicted_number(answer, float(g.size), tolerance=0, why=why)


@register("01.2", "The number of scores Bahdanau's decoder computes writing 20 target "
                  "words from 30 source words.")
def _score_count(answer: Any) -> Feedback:
    expected = TARGET_WORDS * SOURCE_WORDS
    return coarse_number(
        answer, expected, name="your count",
        mistakes=[(TARGET_WORDS + SOURCE_WORDS, "the number of words, not of scores: each "
                   "target word scores every source word."),
                  (TARGET_WORDS, "one score per target word; each target word scores "
                   "every source word."),
                  (SOURCE_WORDS, "the scores of one target word; there are more target "
                   "words.")],
        close="Count the (target word, source word) pairs.",
        right="One score per (target word, source word) pair.")


@register("01.3", "Explain in a sentence: why hard attention over locations needs "
                  "REINFORCE while soft alignment trains with backpropagation.")
def _explain_hard(answer: Any) -> Feedback:
    return explained(answer)
