"""The machinery behind checked exercises: feedback, comparisons, the registry.

Every message is written when the check runs, in the language in use
(:mod:`attention_lib.i18n`): English, or simplified Chinese, each text given in both
(:func:`say_spaced`). The verdict word ("Right!", "正确！") follows the language when the
verdict prints."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..i18n import say

NOT_ANSWERED = "Not answered yet: replace None with your answer and run the cell again."
_NOT_ANSWERED_ZH = "还没有作答：把 None 换成你的答案，再运行这个单元格。"
#: How a "not answered yet" message begins, in each language: it prints without a verdict.
_NOT_ANSWERED_STARTS = ("Not answered yet", "还没有作答")

#: A Han character next to a Latin letter, digit or code mark, with no space between.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_ASCII = "A-Za-z0-9_`'\"()\\[\\]{}<>=+\\-*/^|~$%#@&"
_HAN_THEN_ASCII = re.compile(f"([{_HAN}])([{_ASCII}])")
_ASCII_THEN_HAN = re.compile(f"([{_ASCII}])([{_HAN}])")
#: Text :func:`spaced` leaves as it is (a student's own string or error), marked by
#: :func:`verbatim`.
_VERBATIM = re.compile("\x02(.*?)\x03", re.DOTALL)


def verbatim(text: str) -> str:
    """Mark ``text`` (a student's string, the message of an error in their code) so that
    :func:`spaced` copies it unchanged."""
    return f"\x02{text}\x03"


def spaced(text: str) -> str:
    """``text`` with a space wherever a Han character meets a Latin letter, a digit or a
    code mark ("dot_scores返回None" -> "dot_scores 返回 None"), as the Chinese notebooks
    write them; :func:`verbatim` parts are copied unchanged. A Chinese message is written
    once with its names and numbers in place, so the spaces are put in here rather than
    guessed in every template (a name may be "你的权重" or "dot_scores")."""
    parts = _VERBATIM.split(text)
    return "".join(part if i % 2 else _ASCII_THEN_HAN.sub(
        r"\1 \2", _HAN_THEN_ASCII.sub(r"\1 \2", part)) for i, part in enumerate(parts))


def say_spaced(en: str, zh: str) -> str:
    """:func:`attention_lib.i18n.say`, with the Chinese text :func:`spaced`. The English
    text is returned exactly as given."""
    return say(en, spaced(zh))


def joined(first: str, second: str) -> str:
    """Two sentences of a message as one: a space between them in English, none after a
    Chinese full stop."""
    return say(f"{first} {second}", f"{first}{second}").strip()


def _verdict(feedback: Feedback, right: str, right_zh: str) -> str:
    """How a verdict prints, in the language in use (attention_lib.i18n); the message
    itself is the checker's, written in the language in use when it was made."""
    if feedback.message == NOT_ANSWERED:
        return say(NOT_ANSWERED, _NOT_ANSWERED_ZH)
    if feedback.message.startswith(_NOT_ANSWERED_STARTS):
        return feedback.message
    word = say(right, right_zh) if feedback.ok else say("Not yet: ", "还不对：")
    return word + feedback.message


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on one answer; prints as one line a student can act on."""

    ok: bool
    message: str

    def __str__(self) -> str:
        return _verdict(self, "Right! ", "正确！")

    __repr__ = __str__

    def __bool__(self) -> bool:
        return self.ok


def compare_array(answer: Any, expected: np.ndarray, *, name: str | None = None,
                  rows_sum_to_one: bool = False, atol: float = 1e-6) -> Feedback:
    """Compare an array answer with the expected one, giving a hint that names the first
    thing off: type, shape, NaN, a row that does not sum to 1, or a position. ``name``
    (default "your answer", in the language in use) is how the hint calls the answer."""
    name = say("your answer", "你的答案") if name is None else name
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        kind = type(answer).__name__
        return Feedback(False, say_spaced(
            f"{name} should be an array of numbers; got {kind}.",
            f"{name}应当是一个数值数组；得到的是 {kind}。"))
    expected = np.asarray(expected, dtype=np.float64)
    if arr.shape != expected.shape:
        return Feedback(False, say_spaced(
            f"{name} has shape {arr.shape}, but the answer has shape {expected.shape}. "
            "Check which axes you multiply or sum over.",
            f"{name}的形状是 {arr.shape}，但答案的形状是 {expected.shape}。"
            "检查一下你在哪些轴上做乘法或求和。"))
    if not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        return Feedback(False, say_spaced(
            f"{name} holds a NaN or infinite value at {where}. Did something overflow?",
            f"{name}在 {where} 处是 NaN 或无穷大。是不是有什么溢出了？"))
    if rows_sum_to_one:
        sums = np.atleast_1d(arr.sum(axis=-1))
        bad = np.argwhere(np.abs(sums - 1) > 1e-6)
        if bad.size:
            where = tuple(int(i) for i in bad[0])
            total = f"{sums[where]:.4g}"
            if arr.ndim == 1:
                what, what_zh = f"{name} sums", f"{name}之和为"
            else:
                what, what_zh = f"row {where} of {name} sums", f"{name}的第 {where} 行之和为"
            return Feedback(False, say_spaced(
                f"{what} to {total}; attention weights must sum to 1.",
                f"{what_zh} {total}；注意力权重之和必须为 1。"))
        if (arr < -atol).any():
            return Feedback(False, say_spaced(
                f"{name} has a negative weight; softmax weights are never negative.",
                f"{name}中有负数；softmax 权重永远不会是负数。"))
    err = np.abs(arr - expected)
    if (err > atol).any():
        where = tuple(int(i) for i in np.unravel_index(np.argmax(err), err.shape))
        n_bad = int((err > atol).sum())
        return Feedback(False, say_spaced(
            f"the shape is right, but {n_bad} of {arr.size} entries are off; the largest "
            f"error is at index {where}.",
            f"形状对了，但 {arr.size} 个元素中有 {n_bad} 个不对；误差最大的位置是索引 {where}。"))
    return Feedback(True, say_spaced(f"{name} matches, shape {arr.shape}.",
                                     f"{name}与答案一致，形状为 {arr.shape}。"))


def _read_number(answer: Any, name: str) -> float | Feedback:
    """``answer`` as a float, or the Feedback that says why it is not a number."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        kind = type(answer).__name__
        return Feedback(False, say_spaced(f"{name} should be a single number; got {kind}.",
                                          f"{name}应当是单个数；得到的是 {kind}。"))
    try:
        return float(answer)
    except (TypeError, ValueError):
        return Feedback(False, say_spaced(
            f"{name} should be a single number; got {answer!r}.",
            f"{name}应当是单个数；得到的是 {verbatim(repr(answer))}。"))


def compare_number(answer: Any, expected: float, *, name: str | None = None,
                   rtol: float = 1e-3, atol: float = 1e-9) -> Feedback:
    """Compare a number, saying whether the answer is too high or too low. ``name``
    defaults to "your answer", in the language in use."""
    name = say("your answer", "你的答案") if name is None else name
    value = _read_number(answer, name)
    if isinstance(value, Feedback):
        return value
    if not np.isfinite(value):
        return Feedback(False, say_spaced(f"{name} is {value}; a finite number is expected.",
                                          f"{name}是 {value}；这里需要一个有限的数。"))
    if abs(value - expected) <= atol + rtol * abs(expected):
        return Feedback(True, say_spaced(f"{name} = {value:.4g}.", f"{name} = {value:.4g}。"))
    if value > expected:
        return Feedback(False, say_spaced(f"{name} = {value:.4g} is too high.",
                                          f"{name} = {value:.4g}，太大了。"))
    return Feedback(False, say_spaced(f"{name} = {value:.4g} is too low.",
                                      f"{name} = {value:.4g}，太小了。"))


def compare_function(fn: Any, reference: Callable[..., Any], cases: Sequence[tuple],
                     *, name: str | None = None, rows_sum_to_one: bool = False,
                     atol: float = 1e-6) -> Feedback:
    """Call a student's function on every case and compare with the reference; the hint
    names the failing case by number and shape, never its expected output. ``name``
    defaults to "your function", in the language in use."""
    name = say("your function", "你的函数") if name is None else name
    if fn is None:
        return Feedback(False, NOT_ANSWERED)
    if not callable(fn):
        kind = type(fn).__name__
        return Feedback(False, say_spaced(f"{name} should be a function; got {kind}.",
                                          f"{name}应当是一个函数；得到的是 {kind}。"))
    for i, args in enumerate(cases, start=1):
        shapes = ", ".join(str(np.shape(a)) for a in args)
        try:
            got = fn(*[np.array(a, copy=True) for a in args])
        except Exception as err:  # noqa: BLE001 - any error in student code is a hint
            error = type(err).__name__
            return Feedback(False, say_spaced(
                f"on test case {i} (inputs of shape {shapes}) {name} raised {error}: {err}",
                f"在测试用例 {i}（输入的形状为 {shapes}）上，{name}引发了 {error}："
                f"{verbatim(str(err))}"))
        if got is None and i == 1:
            return Feedback(False, say_spaced(
                f"Not answered yet: {name} returns None. Write its body, `return` the "
                "result, and run the cell again.",
                f"还没有作答：{name}返回 None。写出它的函数体，用 `return` 返回结果，"
                "再运行这个单元格。"))
        if got is None:
            return Feedback(False, say_spaced(
                f"{name} returned None on test case {i}; did you forget `return`?",
                f"{name}在测试用例 {i} 上返回了 None；是不是忘了写 `return`？"))
        verdict = compare_array(got, reference(*args),
                                name=say_spaced(f"{name}'s result", f"{name}的结果"),
                                rows_sum_to_one=rows_sum_to_one, atol=atol)
        if not verdict.ok:
            return Feedback(False, say_spaced(f"test case {i} (inputs of shape {shapes}): ",
                                              f"测试用例 {i}（输入的形状为 {shapes}）：")
                            + verdict.message)
    return Feedback(True, say_spaced(f"{name} passes all {len(cases)} test cases.",
                                     f"{name}通过了全部 {len(cases)} 个测试用例。"))


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One exercise: its id ("03.2"), a one-line task, and the checker."""

    id: str
    task: str
    checker: Callable[[Any], Feedback]


_REGISTRY: dict[str, Exercise] = {}


def make_cases(seed: int, fixed: Sequence[tuple], sizes: Sequence[tuple],
               draw: Callable[..., tuple]) -> list[tuple]:
    """The inputs a function exercise is checked on: the ``fixed`` cases (the lesson's own
    arrays), then ``draw(rng, *size)`` for each entry of ``sizes``, from a generator
    seeded with ``seed`` (the same cases every time)."""
    rng = np.random.default_rng(seed)
    return [*fixed, *(draw(rng, *size) for size in sizes)]


def register(exercise_id: str, task: str) -> Callable[[Callable[[Any], Feedback]],
                                                       Callable[[Any], Feedback]]:
    """Decorator: register ``checker`` as the check for ``exercise_id``."""
    def wrap(checker: Callable[[Any], Feedback]) -> Callable[[Any], Feedback]:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, task, checker)
        return checker
    return wrap


def register_function(exercise_id: str, task: str, reference: Callable[..., Any],
                      cases: Callable[[], Sequence[tuple]], *, name: str,
                      **options: Any) -> None:
    """Register a write-a-function exercise: the answer is compared with ``reference`` on
    ``cases()`` by :func:`compare_function` (``options`` go to it)."""
    register(exercise_id, task)(
        lambda answer: compare_function(answer, reference, cases(), name=name, **options))


def check(exercise_id: str, answer: Any) -> Feedback:
    """Check a student's answer to exercise ``exercise_id`` (for example "03.1")."""
    if exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"exercise_id {exercise_id!r} is unknown; known exercises: {known}")
    return _REGISTRY[exercise_id].checker(answer)


def exercises_for(notebook: str) -> list[Exercise]:
    """The exercises of one notebook, by its two-digit number ("03")."""
    return [e for k, e in sorted(_REGISTRY.items()) if k.split(".")[0] == notebook]


# -- shared kinds of exercise: free text, predictions, numbers no bisection can find ---

class Noted(Feedback):
    """The verdict on a free-text answer: written down, not judged. Prints "Noted: ..."
    rather than "Right! ...", since no checker can tell whether a sentence is right."""

    def __str__(self) -> str:
        return _verdict(self, "Noted: ", "已记下：")

    __repr__ = __str__


def explained(answer: Any) -> Feedback:
    """Check an explain-in-a-sentence answer: only that it is a non-empty string. Whether
    the sentence is right is for the student to judge against the folded model answer."""
    if answer is None:
        return Noted(False, NOT_ANSWERED)
    if not isinstance(answer, str):
        kind = type(answer).__name__
        return Noted(False, say_spaced(
            f"your answer should be a sentence in quotes (a str); got {kind}.",
            f"你的答案应当是写在引号里的一句话（一个 str）；得到的是 {kind}。"))
    if not answer.strip():
        return Noted(False, say("your answer is empty: write a sentence between the quotes.",
                                "你的答案是空的：在引号之间写一句话。"))
    return Noted(True, say("your sentence is written down. This checker can only see that it "
                           "is not empty, not whether it is right: open the model answer "
                           "below and compare.",
                           "检查器只能看出你的句子不是空的，看不出它对不对；"
                           "请打开下面的参考答案，自己对照。"))


def predicted_number(guess: Any, truth: float, *, tolerance: float, why: str,
                     unit: str = "") -> Feedback:
    """Compare a prediction with the value the run computed, and explain it either way.

    The guess is written down before the run, so the computed value is shown with the
    verdict (that is the "then run"); ``tolerance`` is absolute and as wide as the lesson
    needs, and ``why`` (in the language in use) says where the value comes from.
    """
    value = _read_number(guess, say("your prediction", "你的预测"))
    if isinstance(value, Feedback):
        return value
    guessed, computed = f"{value:.4g}{unit}", f"{truth:.4g}{unit}"
    said = f"you predicted {guessed}; the run computed {computed}"
    said_zh = f"你预测的是 {guessed}，运行算出的是 {computed}"
    if np.isfinite(value) and abs(value - truth) <= tolerance:
        return Feedback(True, say(f"{said} (within {tolerance:g}). {why}",
                                  spaced(f"{said_zh}（误差在 {tolerance:g} 以内）。") + why))
    return Feedback(False, say(f"{said}, more than {tolerance:g} away. {why}",
                               spaced(f"{said_zh}，相差超过 {tolerance:g}。") + why))



def coarse_number(answer: Any, expected: float, *, name: str | None = None,
                  rtol: float = 1e-6, atol: float = 1e-9, band: float | None = 0.1,
                  mistakes: Sequence[tuple[float, str]] = (), close: str = "",
                  right: str = "") -> Feedback:
    """Check a number without letting it be found by bisection.

    A known mistake (a number in ``mistakes``) gets its own hint. Any other wrong number
    is only called too high or too low when it is more than ``band`` (relative) away;
    closer, the hint says it is close and gives ``close``; with ``band=None`` no
    direction is given at all. ``right`` is added to the verdict of a right answer. The
    hints, ``close`` and ``right`` are in the language in use (the checker says them
    with :func:`say_spaced`); ``name`` defaults to "your answer".
    """
    name = say("your answer", "你的答案") if name is None else name
    verdict = compare_number(answer, expected, name=name, rtol=rtol, atol=atol)
    if verdict.ok:
        return Feedback(True, joined(verdict.message, right))
    value = _read_number(answer, name)
    if isinstance(value, Feedback) or not np.isfinite(value):
        return verdict          # not answered, or not a number
    for wrong, hint in mistakes:
        if abs(value - wrong) <= atol + rtol * abs(wrong):
            return Feedback(False, say(f"{name} = {value:.4g} is {hint}",
                                       spaced(f"{name} = {value:.4g}，") + hint))
    if band is None or abs(value - expected) <= band * abs(expected):
        return Feedback(False, joined(say_spaced(f"{name} = {value:.4g} is not right.",
                                                 f"{name} = {value:.4g} 不对。"), close))
    return Feedback(False, joined(verdict.message, close))
