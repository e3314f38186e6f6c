"""The rules for applying a mask: masked softmax under the conventions Keras's layers
use, and self-attention on one padded sequence: what a mask does to the weights,
including a row with nothing left. (Building masks is :mod:`attention_lib.masks`.)

Two rules for a row whose every key is masked:

* ``"uniform"``: every key gets 1/Tv, masked ones included. ``tf.keras.layers.Attention``
  subtracts 1e9 from masked scores in float32, where the scores then round to the same
  number (see :func:`keras_float32_masked_softmax` for when that rounding breaks).
  ``MultiHeadAttention``'s *fused* path, ``keras.ops.dot_product_attention``, replaces
  every masked score by one huge negative number (-0.7 x 3.38953e38 in Keras 3.15's
  TensorFlow backend), so the row is uniform whatever the scores. The fused path is the
  normal call, ``mha(q, v, attention_mask=...)``: it is what ``model.fit`` and
  ``model.predict`` run when the layer has no dropout.
* ``"zeros"``: ``MultiHeadAttention``'s *explicit* path sets masked weights to exactly 0
  after its ``Softmax`` layer, so the row is all zeros. Keras 3.15 takes that path only
  when the call asks for ``return_attention_scores=True`` or the layer was built with
  ``dropout > 0`` (then on every call, inference too).

``LAYER_RULES`` names the three cases by layer and path.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_bool_array, as_float_array, check_bool, check_choice, check_int
from .core import attention
from .masks import causal_mask, padding_mask
from .softmax import softmax_kernel

#: The two rules for a fully masked row (see the module docstring for who follows each).
FULLY_MASKED_RULES = ("uniform", "zeros")

#: Keras's layers (and MultiHeadAttention's two paths) -> (the rule for a fully masked
#: row, whether a padded query masks its whole row of weights). In ``Attention`` a
#: ``query_mask`` only zeroes the query's output row; in ``MultiHeadAttention`` it masks
#: every key of that query, so the row is fully masked and its rule decides it.
LAYER_RULES: dict[str, tuple[str, bool]] = {
    "Attention": ("uniform", False),
    "MultiHeadAttention, fused path": ("uniform", True),
    "MultiHeadAttention, explicit path": ("zeros", True),
}

#: What Keras's Attention subtracts from a masked score (in float32).
KERAS_MASK_OFFSET = 1.0e9


def _scores_and_mask(scores: ArrayLike, allowed: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    s = as_float_array(scores, "scores")
    a = as_bool_array(allowed, "allowed")
    try:
        a = np.broadcast_to(a, s.shape)
    except ValueError:
        raise ValueError(f"allowed has shape {a.shape}, which does not broadcast to the "
                         f"scores' shape {s.shape}") from None
    return s, a


def masked_softmax(scores: ArrayLike, allowed: ArrayLike, *,
                   fully_masked: str = "uniform") -> np.ndarray:
    """Softmax over the last axis, keeping only the keys where ``allowed`` is True.

    Masked keys get weight 0. A row with no key allowed gets 1/Tv everywhere with
    ``fully_masked="uniform"`` (Keras ``Attention``, and ``MultiHeadAttention``'s fused
    path: its normal call) or all zeros with ``"zeros"`` (``MultiHeadAttention``'s
    explicit path, taken when it returns its scores). Shapes: scores (..., Tv); allowed
    bool, broadcast to the scores' shape; returns float64 of the scores' shape.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    check_choice(fully_masked, "fully_masked", FULLY_MASKED_RULES)
    s, a = _scores_and_mask(scores, allowed)
    none_left = ~a.any(axis=-1, keepdims=True)
    # A fully masked row: every key counts the same (score 0 for all), then "zeros"
    # clears the row after the softmax, as Keras's Softmax layer does.
    filled = np.where(none_left, 0.0, np.where(a, s, -np.inf))
    weights = softmax_kernel(filled, axis=-1)
    if fully_masked == "zeros":
        weights = np.where(none_left, 0.0, weights)
    return weights


def keras_float32_masked_softmax(scores: ArrayLike, allowed: ArrayLike) -> np.ndarray:
    """What ``tf.keras.layers.Attention`` literally computes, in float32: masked scores
    become ``score - 1e9``, then a softmax.

    Near 1e9 float32 numbers are 64 apart, so ``score - 1e9`` rounds to exactly -1e9 for
    every score with |score| < 32: a fully masked row then holds equal numbers and gets
    uniform weights. Larger scores survive the rounding and the row is no longer uniform.
    Shapes: scores (..., Tv); allowed bool, broadcast to it; returns float64 (values
    computed in float32).
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    s, a = _scores_and_mask(scores, allowed)
    s32 = s.astype(np.float32)
    shifted = np.where(a, s32, s32 - np.float32(KERAS_MASK_OFFSET)).astype(np.float32)
    e = np.exp(shifted - shifted.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float64)


def padded_self_attention(sequence: ArrayLike, *, padding: int = 0,
                          use_causal_mask: bool = True, layer: str = "Attention"
                          ) -> dict[str, np.ndarray]:
    """Self-attention (query = key = value, dot scores) of one sequence whose last
    ``padding`` positions are padding, masked as the Keras ``layer`` masks it.

    ``layer`` is a key of :data:`LAYER_RULES`. ``"Attention"`` is
    ``tf.keras.layers.Attention`` with ``value_mask`` = the real positions (and
    ``query_mask`` too, which only zeroes the output rows of padded queries, not their
    weights). The two ``"MultiHeadAttention, ..."`` choices follow ``MultiHeadAttention``
    with ``query_mask`` and ``value_mask``: padded queries have every key masked, and
    fully masked rows are uniform on the fused path (the normal call), zeros on the
    explicit path (scores returned).
    Shapes: sequence (T, d) -> dict with "real" bool (T,), "allowed" bool (T, T) (the
    mask that reaches the softmax, True = attend), "weights" (T, T) and "fully_masked"
    bool (T,) (rows with no key allowed).
    """
    x = as_float_array(sequence, "sequence", min_ndim=2)
    if x.ndim != 2:
        raise ValueError(f"sequence must be 2-D (T, features); got shape {x.shape}")
    check_choice(layer, "layer", tuple(LAYER_RULES))
    rule, mask_queries = LAYER_RULES[layer]
    use_causal_mask = check_bool(use_causal_mask, "use_causal_mask")
    t = x.shape[0]
    padding = check_int(padding, "padding")
    if not 0 <= padding <= t:
        raise ValueError(f"padding must lie between 0 and the sequence length {t}; got "
                         f"{padding}")
    real = padding_mask(np.array(t - int(padding)), check_int(t, "length", minimum=1))
    allowed = np.broadcast_to(real[None, :], (t, t)).copy()
    if use_causal_mask:
        allowed &= causal_mask(t)
    if mask_queries:
        allowed &= real[:, None]
        weights = masked_softmax(x @ x.T, allowed, fully_masked=rule)
    else:
        _, weights = attention(x, x, value_mask=real, query_mask=real,
                               use_causal_mask=bool(use_causal_mask))
    fully_masked_rows = np.asarray(~allowed.any(axis=-1))
    return {"real": real, "allowed": allowed, "weights": weights,
            "fully_masked": fully_masked_rows}
