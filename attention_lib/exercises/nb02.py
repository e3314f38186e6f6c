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

from ..i18n import say
from ..softmax import softmax
from ._core import (
    NOT_ANSWERED,
    Feedback,
    compare_array,
    explained,
    predicted_number,
    register,
    register_function,
    say_spaced,
    spaced,
)

#: The notebook's word vectors (keys) and their values; the exercises restate them.
WORDS = ("cat", "dog", "car", "bus")
#: How the Chinese hints name the words (as notebooks/zh-CN/02_what_is_attention.ipynb does).
WORDS_ZH = {"cat": "猫", "dog": "狗", "car": "汽车", "bus": "公共汽车"}
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
@register("02.2", "The soft look-up weights of the query 'truck' (-1.0, 2.0) over the four "
                  "words, as an array of shape (4,).")
def _weights(answer: Any) -> Feedback:
    expected = softmax(KEYS @ TRUCK)
    verdict = compare_array(answer, expected, name=say("your weights", "你的权重"),
                            rows_sum_to_one=True)
    if not verdict.ok and answer is not None:
        # compare_array checks row sums of 2-D answers; a single row is checked here.
        try:
            arr = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return verdict
        if arr.shape == expected.shape and np.isfinite(arr).all() and abs(arr.sum() - 1) > 1e-6:
            total = f"{arr.sum():.4g}"
            return Feedback(False, say_spaced(
                f"your weights sum to {total}; the weights of a look-up must sum to 1.",
                f"你的权重之和为 {total}；一次查找的权重之和必须为 1。"))
    return verdict


#: Exercise 02.3: the target the designed query must hit, and how close (kg).
CAR, CAR_TOLERANCE = 1500.0, 100.0


@register("02.3", "Design a query: two numbers whose soft look-up (scale 1) over the four "
                  "words answers within 100 kg of the car's 1500 kg, the car holding most of the "
                  "weight.")
def _design_query(answer: Any) -> Feedback:
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    try:
        q = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        kind = type(answer).__name__
        return Feedback(False, say_spaced(
            f"your query should be two numbers, like [1.0, -2.0]; got {kind}.",
            f"你的查询应当是两个数，例如 [1.0, -2.0]；得到的是 {kind}。"))
    if q.shape != (2,):
        return Feedback(False, say_spaced(
            f"your query has shape {q.shape}; a query here is two numbers, shape (2,), like "
            "the keys.",
            f"你的查询的形状是 {q.shape}；这里的查询和键一样，是两个数，形状为 (2,)。"))
    if not np.isfinite(q).all():
        return Feedback(False, say_spaced("your query holds a NaN or infinite number.",
                                          "你的查询中含有 NaN 或无穷大。"))
    weights = softmax(KEYS @ q)
    kg = float((weights @ VALUES)[0])
    pairs = [f"{w} {a:.3f}" for w, a in zip(WORDS, weights, strict=True)]
    said = f"your query answers {kg:,.0f} kg (weights: {', '.join(pairs)})"
    said_zh = f"你的查询给出的答案是 {kg:,.0f} kg（权重：{'，'.join(pairs)}）"
    car = float(weights[WORDS.index("car")])
    if abs(kg - CAR) <= CAR_TOLERANCE and car < 0.5:
        return Feedback(False, say_spaced(
            f"{said}: close to 1500 kg, but by a blend of other words; the car itself should "
            "hold most of the weight.",
            f"{said_zh}：接近 1500 kg，但这是由其他几个词混合出来的；应当由汽车本身占据"
            "大部分权重。"))
    if abs(kg - CAR) <= CAR_TOLERANCE:
        return Feedback(True, say_spaced(
            f"{said}. Almost all the weight is on the car: its key must win over the bus's, "
            "which differs only in size, by a wide margin.",
            f"{said_zh}。几乎全部权重都落在汽车上：它的键必须以很大的差距胜过公共汽车的键，"
            "而这两个键只在大小上不同。"))
    heaviest = WORDS[int(np.argmax(weights * VALUES[:, 0]))]
    if heaviest == "car":
        hint = say("the car already has most of the weight, but not enough: what makes every "
                   "other score much smaller than the car's?",
                   "汽车已经占了大部分权重，但还不够：怎样才能让其他每个评分都比汽车的小得多？")
    else:
        other = WORDS_ZH[heaviest]
        hint = say(f"the {heaviest} adds the most kilograms. Which feature tells the car from "
                   f"the {heaviest}, and which sign of the query's number for it favours the "
                   "car?",
                   f"贡献千克数最多的是{other}。哪个特征把汽车与{other}区分开？查询在这个特征上"
                   "取哪种符号才对汽车有利？")
    return Feedback(False, say(f"{said}; {hint}", spaced(f"{said_zh}；") + hint))


@register("02.4", "Predict, then run: the soft answer (kg) of the puppy query (1.0, 0.5) "
                  "at scale 0.01.")
def _predict_small_scale(answer: Any) -> Feedback:
    truth = float((softmax(SMALL_SCALE * (KEYS @ PUPPY)) @ VALUES)[0])
    mean = float(VALUES.mean())
    spread = float(np.ptp(SMALL_SCALE * (KEYS @ PUPPY)))
    why = say_spaced(
        f"At scale {SMALL_SCALE:g} the four scores differ by at most {spread:.3f}, so every "
        f"weight is close to 1/{len(WORDS)} and the answer is close to the plain average of "
        f"the values, {mean:.1f} kg: the 12-tonne bus counts almost as much as the dog, and "
        "the puppy comes out heavier than the car.",
        f"缩放为 {SMALL_SCALE:g} 时，四个评分之间最多相差 {spread:.3f}，所以每个权重都接近 "
        f"1/{len(WORDS)}，答案接近各个值的简单平均 {mean:.1f} kg：12 吨重的公共汽车与狗几乎"
        "同等重要，于是小狗算出来比汽车还重。")
    return predicted_number(answer, truth, tolerance=0.05 * truth, why=why, unit=" kg")


@register("02.5", "Explain in a sentence: why can a network learn with the soft look-up "
                  "but not with the hard one?")
def _explain_soft(answer: Any) -> Feedback:
    return explained(answer)
