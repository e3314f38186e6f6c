"""Softmax, stage 2 of attention: turn scores into weights that are positive and sum to 1."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_int


def _check_axis(axis: int, ndim: int) -> int:
    axis = check_int(axis, "axis")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for an array with {ndim} "
                         f"dimension{'s' if ndim != 1 else ''}")
    return int(axis)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along ``axis``.

    Subtracting the largest score first leaves the result unchanged (the factor
    exp(-max) cancels) but keeps every exponent <= 0, so scores of magnitude 1e6 give
    finite, correct weights where the naive formula overflows to NaN.

    Shapes: x (...); returns the same shape, non-negative, summing to 1 along ``axis``.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    arr = as_float_array(x, "x")
    axis = _check_axis(axis, arr.ndim)
    return softmax_kernel(arr, axis)


def softmax_kernel(arr: np.ndarray, axis: int = -1) -> np.ndarray:
    """The maths of :func:`softmax` alone, for callers that have checked their input
    (a float array, a valid axis); entries of -inf get weight 0.

    A slice whose entries are all -inf has no defined softmax; callers must not pass one.
    """
    shifted = arr - np.max(arr, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def naive_softmax(x: ArrayLike) -> np.ndarray:
    """The seed article's softmax, ``np.exp(t) / np.sum(np.exp(t), axis=-1, keepdims=True)``.

    Kept to show why it is not used: exp(1000) overflows float64 to inf and inf / inf is
    NaN, so large scores give NaN weights (with a RuntimeWarning from numpy).

    Shapes: x (..., n); returns (..., n).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    t = as_float_array(x, "x")
    return np.exp(t) / np.sum(np.exp(t), axis=-1, keepdims=True)
