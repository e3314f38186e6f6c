"""Argument checks shared by every public function: errors that speak to a student.

Each check names the argument, says what was expected and shows the shapes involved,
so a mistake surfaces here instead of as a cryptic stack deep inside numpy or Keras.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(x: Any, name: str, *, min_ndim: int = 1, allow_inf: bool = False) -> np.ndarray:
    """Return ``x`` as a float64 array after checking type, rank, size and finiteness.

    Raises TypeError for non-numeric input (strings, objects, booleans, complex numbers)
    and ValueError for too few dimensions, empty axes, NaN or infinite entries.
    """
    if x is None:
        raise TypeError(f"{name} is None; expected a numeric array")
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise ValueError(f"{name} could not be read as an array ({err}); "
                         "check that every row has the same length") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be a numeric array; it holds Python objects "
                        "(ragged rows or mixed types?)")
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must be numeric, not boolean (got a {arr.dtype} array "
                        f"of shape {arr.shape})")
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real-valued; got complex dtype {arr.dtype}")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype} "
                        f"(shape {arr.shape})")
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension"
                         f"{'s' if min_ndim > 1 else ''}; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); every axis needs at "
                         "least one entry")
    arr = arr.astype(np.float64, copy=False)
    bad = np.isnan(arr) if allow_inf else ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[where]) else "an infinite value"
        raise ValueError(f"{name} contains {kind} at index {where} (shape {arr.shape}); "
                         "every entry must be a finite number")
    return arr


def as_bool_array(mask: Any, name: str,
                  meaning: str = "True = attend, False = masked") -> np.ndarray:
    """Return ``mask`` as a boolean array: the one rule for every mask in the package.

    Accepts booleans, or integers that are all 0 or 1 (1 = True); anything else (floats,
    other integers, strings) is a TypeError naming the argument and what True means.
    """
    arr = np.asarray(mask)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind in "iu" and np.isin(arr, (0, 1)).all():
        return arr.astype(bool)
    raise TypeError(f"{name} must be a boolean array ({meaning}), or 0/1 integers; got "
                    f"dtype {arr.dtype}")


def as_bool_mask(mask: Any, name: str, expected_shape: tuple[int, ...],
                 context: str = "") -> np.ndarray:
    """Return ``mask`` as a boolean array of exactly ``expected_shape`` (True = attend),
    by the rule of :func:`as_bool_array`.
    """
    arr = as_bool_array(mask, name)
    if arr.shape != tuple(expected_shape):
        raise ValueError(f"{name} has shape {arr.shape}, expected {tuple(expected_shape)}"
                         + (f" {context}" if context else ""))
    return arr


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """Check that ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; "
                         f"got {value!r}")
    return value


def as_finite_scalar(x: Any, name: str) -> float:
    """Return ``x`` as a finite Python float."""
    if isinstance(x, (bool, np.bool_, str, bytes)) or np.ndim(x) != 0:
        raise TypeError(f"{name} must be a single real number; got {x!r}")
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a single real number; got {x!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return value


def check_features(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str,
                   why: str) -> None:
    """Check that two arrays have the same last-axis size (feature count)."""
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"{b_name} has {b.shape[-1]} features but {a_name} has "
                         f"{a.shape[-1]}; they must match {why} "
                         f"({a_name} {a.shape}, {b_name} {b.shape})")


def check_same_batch(arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    """Check that arrays share their leading (batch) axes, all but the last two."""
    names = list(arrays)
    first = names[0]
    batch = arrays[first].shape[:-2]
    for name in names[1:]:
        other = arrays[name].shape[:-2]
        if other != batch:
            shapes = ", ".join(f"{n} {arrays[n].shape}" for n in names)
            raise ValueError(f"{name} has batch shape {other} but {first} has {batch}; "
                             f"the leading axes must match ({shapes})")
    return batch


def check_int(x: Any, name: str, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Return ``x`` as a Python int: an integer (not a bool), at least ``minimum`` and at
    most ``maximum`` where they are given."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{name} must be an integer; got {x!r} ({type(x).__name__})")
    if maximum is not None and not (minimum if minimum is not None else x) <= x <= maximum:
        raise ValueError(f"{name} must lie between {minimum} and {maximum}; got {x}")
    if minimum is not None and x < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {x}")
    return int(x)


def check_positive_float(x: Any, name: str) -> float:
    """Return ``x`` as a finite Python float greater than 0."""
    value = as_finite_scalar(x, name)
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0; got {value}")
    return value


def check_bool(x: Any, name: str) -> bool:
    """Return ``x`` as a Python bool: it must be True or False (numpy's bools too)."""
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {x!r}")
    return bool(x)


def check_rng(rng: Any) -> np.random.Generator:
    """Check that ``rng`` is a numpy Generator: randomness is passed in, never global."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. np.random.default_rng(0); "
                        f"got {type(rng).__name__}")
    return rng


def check_rate(rate: Any) -> float:
    """A dropout rate: a finite number in [0, 1)."""
    r = as_finite_scalar(rate, "rate")
    if not 0.0 <= r < 1.0:
        raise ValueError(f"rate must lie in [0, 1); got {r}")
    return r


def as_int_array(x: Any, name: str, ndim: int) -> np.ndarray:
    """Return ``x`` as an int64 array (token ids, lengths) with ``ndim`` dimensions."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer token ids or lengths; got dtype "
                        f"{arr.dtype} (shape {arr.shape})")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension{'s' if ndim > 1 else ''}; "
                         f"got shape {arr.shape}")
    return arr.astype(np.int64, copy=False)
