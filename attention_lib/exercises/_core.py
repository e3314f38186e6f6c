"""The machinery behind checked exercises: feedback, comparisons, the registry."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

NOT_ANSWERED = "Not answered yet: replace None with your answer and run the cell again."


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on one answer; prints as one line a student can act on."""

    ok: bool
    message: str

    def __str__(self) -> str:
        if self.message.startswith("Not answered yet"):
            return self.message
        return ("Right! " if self.ok else "Not yet: ") + self.message

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


def compare_number(answer: Any, expected: float, *, name: str = "your answer",
                   rtol: float = 1e-3, atol: float = 1e-9) -> Feedback:
    """Compare a number, saying whether the answer is too high or too low."""
    if answer is None:
        return Feedback(False, NOT_ANSWERED)
    if isinstance(answer, (bool, np.bool_)) or np.ndim(answer) != 0:
        return Feedback(False, f"{name} should be a single number; got "
                               f"{type(answer).__name__}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be a single number; got {answer!r}.")
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


def check(exercise_id: str, answer: Any) -> Feedback:
    """Check a student's answer to exercise ``exercise_id`` (for example "03.1")."""
    if exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"exercise_id {exercise_id!r} is unknown; known exercises: {known}")
    return _REGISTRY[exercise_id].checker(answer)


def exercises_for(notebook: str) -> list[Exercise]:
    """The exercises of one notebook, by its two-digit number ("03")."""
    return [e for k, e in sorted(_REGISTRY.items()) if k.split(".")[0] == notebook]
