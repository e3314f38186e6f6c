"""Printing float32 results so that every CPU prints the same digits.

Keras computes in float32, and two processors (or one processor with another thread
count or another math library) can round its last bits differently: differences near
1e-7. A number printed to all its digits then changes from machine to machine. Rounding
alone does not fix that, because a value near a rounding boundary (0.71095, printed to
4 decimals) can fall on either side. :func:`stable_round` rounds and also checks that
no change of up to ``atol`` could move any entry to other digits.

numpy only. Introduced in notebooks/04_keras_attention_api.ipynb.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["FLOAT32_ATOL", "stable_round"]

#: The float32 tolerance, decided here once: how far a float32 result may be from the
#: float64 maths (every numpy-versus-Keras check, keras_check.DEFAULT_ATOL, and the
#: explorer's Keras panel) and from another CPU's result for the digits we print to stay
#: the same. Float32 results of these small computations differ by a few units in the
#: last place (about 1e-7); this bound leaves a wide margin.
FLOAT32_ATOL = 1e-5


def stable_round(x: ArrayLike, decimals: int, *, atol: float = FLOAT32_ATOL) -> np.ndarray:
    """``x`` rounded to ``decimals`` places, as float64, after checking that every entry
    rounds the same way anywhere within ``atol`` of it: a machine whose result differs
    by at most ``atol`` prints the same digits. Raises ValueError naming the entry
    (print fewer decimals there). ``-0.0`` comes back as ``0.0``.

    Shapes: any; returns the same shape.
    Introduced in notebooks/04_keras_attention_api.ipynb.
    """
    from ._checks import as_float_array, check_int, check_positive_float

    decimals = check_int(decimals, "decimals", minimum=0)
    atol = check_positive_float(atol, "atol")
    arr = as_float_array(x, "x", min_ndim=0)
    low, high = np.round(arr - atol, decimals), np.round(arr + atol, decimals)
    unstable = low != high
    if unstable.any():
        index = tuple(int(i) for i in np.argwhere(unstable)[0])
        value = float(arr[index]) if arr.ndim else float(arr)
        raise ValueError(
            f"x[{index}] = {value!r} is within {atol:g} of a rounding boundary at "
            f"{decimals} decimals, so another CPU could print other digits; print fewer "
            f"decimals")
    return np.round(arr, decimals) + 0.0
