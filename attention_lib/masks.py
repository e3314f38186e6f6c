"""Masks: which key positions each query may attend to (True = attend, as in Keras)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_bool_array, as_float_array, check_int


def causal_mask(tq: int, tv: int | None = None) -> np.ndarray:
    """Lower-triangular mask: query i may attend to key j only when j <= i.

    Same rule as Keras's ``use_causal_mask=True`` (row index >= column index), also
    when Tq != Tv. Shapes: returns bool (Tq, Tv); Tv defaults to Tq.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    tq = check_int(tq, "tq", minimum=1)
    tv = tq if tv is None else check_int(tv, "tv", minimum=1)
    return np.arange(tq)[:, None] >= np.arange(tv)[None, :]


def padding_mask(lengths: ArrayLike, max_len: int) -> np.ndarray:
    """Padding mask from true sequence lengths: position t is real when t < length.

    Shapes: lengths (...) of integers in [0, max_len]; returns bool (..., max_len).
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    max_len = check_int(max_len, "max_len", minimum=1)
    arr = np.asarray(lengths)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"lengths must be integers; got dtype {arr.dtype}")
    if (arr < 0).any() or (arr > max_len).any():
        raise ValueError(f"lengths must lie between 0 and max_len={max_len}; "
                         f"got {arr.tolist()}")
    return np.arange(max_len) < arr[..., None]


def combine_masks(*masks: ArrayLike | None) -> np.ndarray | None:
    """Combine masks by logical AND (a position is attended only if every mask allows it).

    ``None`` entries are skipped; shapes must broadcast, e.g. a value mask (..., 1, Tv)
    with a causal mask (Tq, Tv). Returns None when every mask is None.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    given = [as_bool_array(m, f"mask {i}") for i, m in enumerate(masks) if m is not None]
    if not given:
        return None
    try:
        return np.logical_and.reduce(np.broadcast_arrays(*given))
    except ValueError:
        shapes = ", ".join(str(m.shape) for m in given)
        raise ValueError(f"masks of shapes {shapes} do not broadcast together") from None


def additive_mask(mask: ArrayLike, large: float = 1e9) -> np.ndarray:
    """Turn a boolean mask into the additive form many tutorials use: 0 or -large.

    Adding it to the scores before softmax gives (to float precision) the same weights as
    Keras's boolean mask. Shapes: mask (...); returns float64 (...).
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    arr = as_bool_array(mask, "mask")
    large = float(as_float_array([large], "large")[0])
    if large <= 0:
        raise ValueError(f"large must be positive; got {large}")
    return np.where(arr, 0.0, -large)
