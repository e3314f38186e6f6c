"""The whole attention computation, numpy twins of tf.keras.layers.Attention and
tf.keras.layers.AdditiveAttention: score, mask, softmax, weighted sum."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import scores as _scores
from ._checks import (
    as_bool_mask,
    as_finite_scalar,
    as_float_array,
    check_bool,
    check_choice,
    check_same_batch,
)
from .masks import causal_mask
from .scores import SCORE_MODES, score_kernel
from .softmax import softmax_kernel


def _read_inputs(query: ArrayLike, value: ArrayLike, key: ArrayLike | None,
                 why: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = as_float_array(query, "query", min_ndim=2)
    v = as_float_array(value, "value", min_ndim=2)
    k = v if key is None else as_float_array(key, "key", min_ndim=2)
    k_name = "value" if key is None else "key"
    named = {"query": q, "value": v} if key is None else {"query": q, "value": v, "key": k}
    check_same_batch(named)
    if key is not None and k.shape[-2] != v.shape[-2]:
        raise ValueError(f"key has {k.shape[-2]} positions but value has {v.shape[-2]}; "
                         f"every key needs exactly one value (key {k.shape}, value "
                         f"{v.shape})")
    if q.shape[-1] != k.shape[-1]:
        hint = (" With no key given, value is used as the key." if key is None else "")
        raise ValueError(f"{k_name} has {k.shape[-1]} features but query has "
                         f"{q.shape[-1]}; they must match {why} (query {q.shape}, "
                         f"{k_name} {k.shape}).{hint}")
    return q, v, k


def _attend(scores: np.ndarray, q: np.ndarray, v: np.ndarray, query_mask: ArrayLike | None,
            value_mask: ArrayLike | None, use_causal_mask: bool
            ) -> tuple[np.ndarray, np.ndarray]:
    """Stages 2 and 3 with Keras's mask rules, given stage-1 scores (..., Tq, Tv)."""
    use_causal_mask = check_bool(use_causal_mask, "use_causal_mask")
    q_mask = None if query_mask is None else as_bool_mask(
        query_mask, "query_mask", q.shape[:-1], f"(one entry per query: query {q.shape})")
    v_mask = None if value_mask is None else as_bool_mask(
        value_mask, "value_mask", v.shape[:-1], f"(one entry per key: value {v.shape})")
    allowed = np.ones(scores.shape, dtype=bool)
    if v_mask is not None:
        allowed &= v_mask[..., None, :]
    if use_causal_mask:
        allowed &= causal_mask(scores.shape[-2], scores.shape[-1])
    return attend_kernel(scores, v, allowed, q_mask)


def attend_kernel(scores: np.ndarray, value: np.ndarray, allowed: np.ndarray,
                  query_mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stages 2 and 3 alone, with Keras's mask rules, for callers that have checked
    their arguments: softmax over the keys ``allowed`` (bool, like ``scores``), then the
    weighted sum of ``value``; rows of queries where ``query_mask`` is False get output 0.

    Keras subtracts 1e9 from masked scores; in float32 a fully masked row then holds
    equal scores and gets uniform weights 1/Tv. This gives the same result exactly.
    Shapes: scores (..., Tq, Tv), value (..., Tv, dv), query_mask (..., Tq) ->
    (output (..., Tq, dv), weights (..., Tq, Tv)).
    """
    fully_masked = ~allowed.any(axis=-1, keepdims=True)
    masked = np.where(allowed, scores, -np.inf)
    masked = np.where(fully_masked, 0.0, masked)
    weights = softmax_kernel(masked, axis=-1)
    output = weights @ value
    if query_mask is not None:
        output = np.where(query_mask[..., None], output, 0.0)
    return output, weights


def attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
              score_mode: str = "dot", scale: float | None = None,
              concat_weight: float = 1.0, query_mask: ArrayLike | None = None,
              value_mask: ArrayLike | None = None, use_causal_mask: bool = False
              ) -> tuple[np.ndarray, np.ndarray]:
    """Luong-style attention, the same computation as ``tf.keras.layers.Attention``.

    Argument order follows Keras's ``[query, value, key]``; key defaults to value.
    Stage 1 scores with ``score_mode``: "dot" (q . k), "concat"
    (concat_weight * sum tanh(scale * (q + k)), Keras's concat), or the extras
    "scaled_dot" (q . k / sqrt(d)) and "cosine". ``scale`` plays the role of Keras's
    ``use_scale`` weight: it multiplies the dot scores (or the sum inside tanh for
    concat); None means no scale. Stage 2 is a softmax over keys after masking; stage 3
    the weighted sum of values.

    Masks use Keras's convention, True = attend: ``value_mask`` (..., Tv) hides keys,
    ``use_causal_mask`` lets query i see keys j <= i only, ``query_mask`` (..., Tq) sets
    the output rows of masked queries to 0 (their weights are left as they are). A row
    with every key masked gets uniform weights 1/Tv, as Keras gives.

    Shapes: query (..., Tq, d); value (..., Tv, dv); key (..., Tv, d), defaults to value;
    leading axes must match, and unbatched 2-D input works as in the seed article.
    Returns (output (..., Tq, dv), weights (..., Tq, Tv)); each row of weights sums to 1.
    Introduced in notebooks/04_keras_attention_api.ipynb.
    """
    check_choice(score_mode, "score_mode", SCORE_MODES)
    why = ("for the concat score (q + k is added feature by feature)"
           if score_mode == "concat" else f"for a {score_mode.replace('_', ' ')} score")
    q, v, k = _read_inputs(query, value, key, why)
    s = None if scale is None else as_finite_scalar(scale, "scale")
    raw = score_kernel(q, k, score_mode, s, as_finite_scalar(concat_weight, "concat_weight"))
    return _attend(raw, q, v, query_mask, value_mask, use_causal_mask)


def additive_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                       *, scale: ArrayLike | None = None,
                       query_mask: ArrayLike | None = None,
                       value_mask: ArrayLike | None = None,
                       use_causal_mask: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Bahdanau-style attention, the same computation as
    ``tf.keras.layers.AdditiveAttention``: scores sum_f scale_f * tanh(q_i + k_j)_f.

    ``scale`` (d,) is the layer's ``use_scale`` weight (None = ones). Masks as in
    :func:`attention`. Shapes: query (..., Tq, d); value (..., Tv, dv); key (..., Tv, d)
    -> (output (..., Tq, dv), weights (..., Tq, Tv)).
    """
    q, v, k = _read_inputs(query, value, key, "for the additive score (q + k is added "
                                              "feature by feature)")
    raw = _scores.keras_additive_score(q, k, scale)
    return _attend(raw, q, v, query_mask, value_mask, use_causal_mask)
