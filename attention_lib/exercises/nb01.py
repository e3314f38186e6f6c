"""Exercises of notebooks/01_a_short_history.ipynb: a glimpse's size, the number of
scores a translation decoder computes, and why hard attention needs REINFORCE."""

from __future__ import annotations

from typing import Any

from ..glimpse import glimpse
from ..history import grace_hopper
from ..i18n import say
from ._core import (
    Feedback,
    coarse_number,
    explained,
    predicted_number,
    register,
    say_spaced,
)

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
    side, values = f"{GLIMPSE_PATCH} x {GLIMPSE_PATCH}", GLIMPSE_PATCH * GLIMPSE_PATCH
    why = say_spaced(
        f"Every scale is shrunk to the same {side} square, so the glimpse holds "
        f"{GLIMPSE_SCALES} x {values} values whatever the image; the photograph has "
        f"{full.size:,} pixels.",
        f"每个尺度都被缩小成同样的 {side} 正方形，所以无论图像多大，瞥视都包含 "
        f"{GLIMPSE_SCALES} x {values} 个值；这张照片有 {full.size:,} 个像素。")
    return predicted_number(answer, float(g.size), tolerance=0, why=why)


@register("01.2", "The number of scores Bahdanau's decoder computes writing 20 target "
                  "words from 30 source words.")
def _score_count(answer: Any) -> Feedback:
    expected = TARGET_WORDS * SOURCE_WORDS
    return coarse_number(
        answer, expected, name=say("your count", "你的计数"),
        mistakes=[(TARGET_WORDS + SOURCE_WORDS, say(
                      "the number of words, not of scores: each target word scores every "
                      "source word.",
                      "这是词的个数，不是评分的个数：每个目标词都要为每个源词计算一个评分。")),
                  (TARGET_WORDS, say(
                      "one score per target word; each target word scores every source "
                      "word.",
                      "这相当于每个目标词只有一个评分；而实际上每个目标词都要为每个源词各计算一个评分。")),
                  (SOURCE_WORDS, say(
                      "the scores of one target word; there are more target words.",
                      "这是一个目标词的评分个数；目标词不止一个。"))],
        close=say("Count the (target word, source word) pairs.",
                  "数一数有多少个（目标词，源词）对。"),
        right=say("One score per (target word, source word) pair.",
                  "每个（目标词，源词）对有一个评分。"))


@register("01.3", "Explain in a sentence: why hard attention over locations needs "
                  "REINFORCE while soft alignment trains with backpropagation.")
def _explain_hard(answer: Any) -> Feedback:
    return explained(answer)
