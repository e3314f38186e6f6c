"""Numpy twins that run on a Keras layer's own ``get_weights()``: name the arrays the
layer returns, then compute what the layer computes.

* :func:`attention_from_weights` is ``tf.keras.layers.Attention`` (weights: ``[]``,
  ``[scale]``, ``[concat_score_weight]`` or ``[scale, concat_score_weight]``);
* :func:`additive_attention_from_weights` is ``tf.keras.layers.AdditiveAttention``
  (weights: ``[]`` or ``[scale (d,)]``);
* ``attention_lib.multihead.multi_head_attention`` is ``MultiHeadAttention`` (8 arrays);
  :func:`multihead_attention_mask` builds the one mask it takes from Keras's
  ``query_mask`` / ``value_mask`` / ``key_mask`` / ``attention_mask`` arguments.

Dropout (``Attention(dropout=rate)`` called with ``training=True``) zeroes each weight
with probability ``rate`` and divides the survivors by ``1 - rate``;
:func:`apply_dropout` does that for a given keep pattern, and
:func:`recover_keep_mask` reads the pattern back from the weights Keras returned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_bool_array,
    as_finite_scalar,
    as_float_array,
    check_bool,
    check_choice,
    check_int,
    check_rate,
)
from .core import additive_attention, attention
from .masks import combine_masks


def _weight_list(weights: Any) -> list[np.ndarray]:
    if isinstance(weights, (dict, str, np.ndarray)) or not isinstance(weights, (list, tuple)):
        raise TypeError("weights must be the list layer.get_weights() returns; got "
                        f"{type(weights).__name__}")
    return [np.asarray(w) for w in weights]


def unpack_attention_weights(weights: Any, *, use_scale: bool = False,
                             score_mode: str = "dot") -> dict[str, float | None]:
    """Name the arrays of ``tf.keras.layers.Attention(...).get_weights()``.

    Keras builds ``scale`` (a scalar) when ``use_scale`` and then ``concat_score_weight``
    (a scalar) when ``score_mode == "concat"``, in that order. Returns
    ``{"scale": float or None, "concat_weight": float}`` (concat_weight 1.0 for "dot"),
    ready to pass to :func:`attention_lib.attention`.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    use_scale = check_bool(use_scale, "use_scale")
    check_choice(score_mode, "score_mode", ("dot", "concat"))
    arrays = _weight_list(weights)
    names = (["scale"] if use_scale else []) + (["concat_score_weight"]
                                                 if score_mode == "concat" else [])
    if len(arrays) != len(names):
        raise ValueError(f"weights holds {len(arrays)} arrays but Attention(use_scale="
                         f"{bool(use_scale)}, score_mode={score_mode!r}) has "
                         f"{len(names)}: {names}")
    named = {}
    for name, arr in zip(names, arrays, strict=True):
        if arr.shape != ():
            raise ValueError(f"weights[{names.index(name)}] ({name}) must be a scalar; "
                             f"got shape {arr.shape}")
        named[name] = as_finite_scalar(arr[()], name)
    return {"scale": named.get("scale"),
            "concat_weight": named.get("concat_score_weight", 1.0)}


def attention_from_weights(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                           *, weights: Any, use_scale: bool = False,
                           score_mode: str = "dot", query_mask: ArrayLike | None = None,
                           value_mask: ArrayLike | None = None,
                           use_causal_mask: bool = False
                           ) -> tuple[np.ndarray, np.ndarray]:
    """``tf.keras.layers.Attention(use_scale, score_mode)`` in inference mode, run on
    the layer's ``get_weights()``.

    Shapes as in :func:`attention_lib.attention`: query (..., Tq, d), value (..., Tv, dv),
    key (..., Tv, d) -> (output (..., Tq, dv), weights (..., Tq, Tv)).
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    w = unpack_attention_weights(weights, use_scale=use_scale, score_mode=score_mode)
    concat_weight = w["concat_weight"]
    assert concat_weight is not None
    return attention(query, value, key, score_mode=score_mode, scale=w["scale"],
                     concat_weight=concat_weight, query_mask=query_mask,
                     value_mask=value_mask, use_causal_mask=use_causal_mask)


def unpack_additive_weights(weights: Any, *, use_scale: bool = True,
                            features: int | None = None) -> np.ndarray | None:
    """Name the arrays of ``tf.keras.layers.AdditiveAttention(...).get_weights()``:
    ``[scale (d,)]`` with ``use_scale``, ``[]`` without. Returns the scale as float64
    (d,), or None. ``features`` (d), when given, is checked against the scale's length.
    """
    use_scale = check_bool(use_scale, "use_scale")
    arrays = _weight_list(weights)
    if len(arrays) != int(bool(use_scale)):
        raise ValueError(f"weights holds {len(arrays)} arrays but AdditiveAttention("
                         f"use_scale={bool(use_scale)}) has {int(bool(use_scale))}")
    if not use_scale:
        return None
    scale = as_float_array(arrays[0], "weights[0] (scale)")
    if scale.ndim != 1:
        raise ValueError(f"weights[0] (scale) must be 1-D (features,); got shape "
                         f"{scale.shape}")
    if features is not None and scale.shape != (features,):
        raise ValueError(f"weights[0] (scale) has shape {scale.shape} but the query has "
                         f"{features} features; expected ({features},)")
    return scale


def additive_attention_from_weights(query: ArrayLike, value: ArrayLike,
                                    key: ArrayLike | None = None, *, weights: Any,
                                    use_scale: bool = True,
                                    query_mask: ArrayLike | None = None,
                                    value_mask: ArrayLike | None = None,
                                    use_causal_mask: bool = False
                                    ) -> tuple[np.ndarray, np.ndarray]:
    """``tf.keras.layers.AdditiveAttention(use_scale)`` run on the layer's
    ``get_weights()``. Shapes as in :func:`attention_lib.additive_attention`.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    q = as_float_array(query, "query", min_ndim=2)
    scale = unpack_additive_weights(weights, use_scale=use_scale, features=q.shape[-1])
    return additive_attention(q, value, key, scale=scale, query_mask=query_mask,
                              value_mask=value_mask, use_causal_mask=use_causal_mask)


def apply_dropout(weights: ArrayLike, keep: ArrayLike, rate: float) -> np.ndarray:
    """Inverted dropout on attention weights, as Keras applies it in training: kept
    entries are divided by ``1 - rate``, dropped ones become 0.

    Shapes: weights (..., Tq, Tv); keep bool (..., Tq, Tv), True = kept. Returns
    float64 (..., Tq, Tv); rows no longer sum to 1 (only their expectation does).
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    w = as_float_array(weights, "weights")
    r = check_rate(rate)
    keep_arr = as_bool_array(keep, "keep", "True = kept, False = dropped")
    if keep_arr.shape != w.shape:
        raise ValueError(f"keep has shape {keep_arr.shape} but weights has {w.shape}; "
                         "they must match")
    return np.where(keep_arr, w / (1.0 - r), 0.0)


def recover_keep_mask(dropped_weights: ArrayLike) -> np.ndarray:
    """Which weights survived dropout: the non-zero entries of the weights a layer
    returned with ``training=True``. (A weight that was already exactly 0, such as a
    masked key's, reads as dropped; either way it stays 0.)

    Shapes: (..., Tq, Tv) -> bool (..., Tq, Tv).
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    return as_float_array(dropped_weights, "dropped_weights") != 0.0


def multihead_attention_mask(tq: int, tv: int, *, query_mask: ArrayLike | None = None,
                             value_mask: ArrayLike | None = None,
                             key_mask: ArrayLike | None = None,
                             attention_mask: ArrayLike | None = None) -> np.ndarray:
    """The single (..., Tq, Tv) mask ``MultiHeadAttention`` builds from its mask
    arguments (True = attend), combined by AND as Keras does: query_mask (..., Tq)
    becomes (..., Tq, 1), value_mask and key_mask (..., Tv) become (..., 1, Tv),
    attention_mask (..., Tq, Tv) is used as it is.

    Unlike ``Attention``, a masked query here masks its whole row of weights.
    Pass the result as ``attention_mask`` to
    :func:`attention_lib.multihead.multi_head_attention`.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    tq, tv = check_int(tq, "tq", minimum=1), check_int(tv, "tv", minimum=1)
    parts = []
    for name, m, axis, size in (("query_mask", query_mask, -1, tq),
                                ("value_mask", value_mask, -2, tv),
                                ("key_mask", key_mask, -2, tv)):
        if m is None:
            continue
        arr = as_bool_array(m, name)
        if arr.ndim < 1 or arr.shape[-1] != size:
            raise ValueError(f"{name} has shape {arr.shape}; its last axis must have "
                             f"{size} entries")
        parts.append(np.expand_dims(arr, axis))
    if attention_mask is not None:
        arr = as_bool_array(attention_mask, "attention_mask")
        if arr.ndim < 2 or arr.shape[-2:] != (tq, tv):
            raise ValueError(f"attention_mask has shape {arr.shape}; its last two axes "
                             f"must be ({tq}, {tv})")
        parts.append(arr)
    combined = combine_masks(*parts)
    if combined is None:
        return np.ones((tq, tv), dtype=bool)
    return np.broadcast_to(combined, combined.shape[:-2] + (tq, tv)).copy()
