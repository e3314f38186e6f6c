"""The machinery behind checked exercises: feedback, comparisons, the registry."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..i18n import say

NOT_ANSWERED = "Not answered yet: replace None with your answer and run the cell again."
_NOT_ANSWERED_ZH = "还没有作答：把 None 换成你的答案，再运行这个单元格。"


def _verdict(feedback: Feedback, right: str, right_zh: str) -> str:
    """How a verdict prints, in the language in use (attention_lib.i18n); the message
    itself is the checker's."""
    if feedback.message == NOT_ANSWERED:
        return say(NOT_ANSWERED, _NOT_ANSWERED_ZH)
    if feedback.message.startswith("Not answered yet"):
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


def compare_array(answer: Any, expected: np.ndarray, *, name: str = "your answer",
                  rows_sum_to_one: bool = False, atol: float = 1e-6) -> Feedback:
    """Compare an array answer with the expected one, giving a hint that names the first
    thing off: type, shape, NaN, a row that does not sum to 1, or a position."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be an array of numbers; got "
                               f"{type(answer).__name__}.")
    expected = np.asarray(expected, dtype=np.float64)
    if arr.shape != expected.shape:
        return Feedback(False, f"{name} has shape {arr.shape}, but the answer has shape "
                               f"{expected.shape}. Check which axes you multiply or "
                               "sum over.")
    if not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        return Feedback(False, f"{name} holds a NaN or infinite value at {where}. Did "
                               "something overflow?")
    if rows_sum_to_one:
        sums = np.atleast_1d(arr.sum(axis=-1))
        bad = np.argwhere(np.abs(sums - 1) > 1e-6)
        if bad.size:
            where = tuple(int(i) for i in bad[0])
            what = f"{name} sums" if arr.ndim == 1 else f"row {where} of {name} sums"
            return Feedback(False, f"{what} to {sums[where]:.4g}; attention weights must "
                                   "sum to 1.")
        if (arr < -atol).any():
            return Feedback(False, f"{name} has a negative weight; softmax weights are "
                                   "never negative.")
    err = np.abs(arr - expected)
    if (err > atol).any():
        where = tuple(int(i) for i in np.unravel_index(np.argmax(err), err.shape))
        n_bad = int((err > atol).sum())
        return Feedback(False, f"the shape is right, but {n_bad} of {arr.size} entries "
                               f"are off; the largest error is at index {where}.")
    return Feedback(True, f"{name} matches, shape {arr.shape}.")


def _read_number(answer: Any, name: str) -> float | Feedback:
    """``answer`` as a float, or the Feedback that says why it is not a number."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return Feedback(False, f"{name} should be a single number; got "
                               f"{type(answer).__name__}.")
    try:
        return float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be a single number; got {answer!r}.")


def compare_number(answer: Any, expected: float, *, name: str = "your answer",
                   rtol: float = 1e-3, atol: float = 1e-9) -> Feedback:
    """Compare a number, saying whether the answer is too high or too low."""
    value = _read_number(answer, name)
    if isinstance(value, Feedback):
        return value
    if not np.isfinite(value):
        return Feedback(False, f"{name} is {value}; a finite number is expected.")
    if abs(value - expected) <= atol + rtol * abs(expected):
        return Feedback(True, f"{name} = {value:.4g}.")
    return Feedback(False, f"{name} = {value:.4g} is too {'high' if value > expected else 'low'}.")


def compare_function(fn: Any, reference: Callable[..., Any], cases: Sequence[tuple],
                     *, name: str = "your function", rows_sum_to_one: bool = False,
                     atol: float = 1e-6) -> Feedback:
    """Call a student's function on every case and compare with the reference; the hint
    names the failing case by number and shape, never its expected output."""
    if fn is None:
        return Feedback(False, NOT_ANSWERED)
    if not callable(fn):
        return Feedback(False, f"{name} should be a function; got {type(fn).__name__}.")
    for i, args in enumerate(cases, start=1):
        shapes = ", ".join(str(np.shape(a)) for a in args)
        try:
            got = fn(*[np.array(a, copy=True) for a in args])
        except Exception as err:  # noqa: BLE001 - any error in student code is a hint
            return Feedback(False, f"on test case {i} (inputs of shape {shapes}) {name} "
                                   f"raised {type(err).__name__}: {err}")
        if got is None and i == 1:
            return Feedback(False, f"Not answered yet: {name} returns None. Write its body, "
                                   "`return` the result, and run the cell again.")
        if got is None:
            return Feedback(False, f"{name} returned None on test case {i}; did you "
                                   "forget `return`?")
        verdict = compare_array(got, reference(*args), name=f"{name}'s result",
                                rows_sum_to_one=rows_sum_to_one, atol=atol)
        if not verdict.ok:
            return Feedback(False, f"test case {i} (inputs of shape {shapes}): "
                                   f"{verdict.message}")
    return Feedback(True, f"{name} passes all {len(cases)} test cases.")


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
        return Noted(False, "your answer should be a sentence in quotes (a str); got "
                            f"{type(answer).__name__}.")
    if not answer.strip():
        return Noted(False, "your answer is empty: write a sentence between the quotes.")
    return Noted(True, "your sentence is written down. This checker can only see that it "
                       "is not empty, not whether it is right: open the model answer below "
                       "and compare.")


def predicted_number(guess: Any, truth: float, *, tolerance: float, why: str,
                     unit: str = "") -> Feedback:
    """Compare a prediction with the value the run computed, and explain it either way.

    The guess is written down before the run, so the computed value is shown with the
    verdict (that is the "then run"); ``tolerance`` is absolute and as wide as the lesson
    needs, and ``why`` says where the value comes from.
    """
    value = _read_number(guess, "your prediction")
    if isinstance(value, Feedback):
        return value
    said = f"you predicted {value:.4g}{unit}; the run computed {truth:.4g}{unit}"
    if np.isfinite(value) and abs(value - truth) <= tolerance:
        return Feedback(True, f"{said} (within {tolerance:g}). {why}")
    return Feedback(False, f"{said}, more than {tolerance:g} away. {why}")



def coarse_number(answer: Any, expected: float, *, name: str = "your answer",
                  rtol: float = 1e-6, atol: float = 1e-9, band: float | None = 0.1,
                  mistakes: Sequence[tuple[float, str]] = (), close: str = "",
                  right: str = "") -> Feedback:
    """Check a number without letting it be found by bisection.

    A known mistake (a number in ``mistakes``) gets its own hint. Any other wrong number
    is only called too high or too low when it is more than ``band`` (relative) away;
    closer, the hint says it is close and gives ``close``; with ``band=None`` no
    direction is given at all. ``right`` is added to the verdict of a right answer.
    """
    verdict = compare_number(answer, expected, name=name, rtol=rtol, atol=atol)
    if verdict.ok:
        return Feedback(True, f"{verdict.message} {right}".strip())
    if not verdict.message.endswith(("is too high.", "is too low.")):
        return verdict          # not answered, or not a number
    value = float(answer)
    for wrong, hint in mistakes:
        if abs(value - wrong) <= atol + rtol * abs(wrong):
            return Feedback(False, f"{name} = {value:.4g} is {hint}")
    if band is None or abs(value - expected) <= band * abs(expected):
        return Feedback(False, f"{name} = {value:.4g} is not right. {close}".strip())
    return Feedback(False, f"{verdict.message} {close}".strip())
