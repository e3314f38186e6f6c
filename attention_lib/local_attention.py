"""Luong et al. 2015: global attention (every source position) and local-p attention
(a window of 2D + 1 positions around a predicted position, weighted by a Gaussian).

Notation as in the paper: target (decoder) states h_t are the queries (..., Tq, d),
source (encoder) states h_s the keys and values (..., S, d).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_choice, check_int, check_same_batch
from .scores import additive_score, dot_score, general_score
from .softmax import softmax_kernel

#: Luong's three score functions.
LUONG_SCORES = ("dot", "general", "concat")


def luong_score(query: ArrayLike, key: ArrayLike, *, mode: str = "dot",
                weight: ArrayLike | None = None, v: ArrayLike | None = None) -> np.ndarray:
    """Luong's scores: "dot" h_t . h_s; "general" h_t W h_s^T with W (d, d_s);
    "concat" v^T tanh(W [h_t; h_s]) with W (d + d_s, units), v (units,).

    Concat is Bahdanau's additive score with W split into its query and key halves.
    Shapes: query (..., Tq, d), key (..., S, d_s) -> scores (..., Tq, S).
    """
    check_choice(mode, "mode", LUONG_SCORES)
    if mode == "dot":
        if weight is not None or v is not None:
            raise ValueError("the dot score has no parameters; weight and v must be None")
        return dot_score(query, key)
    if weight is None:
        raise ValueError(f"the {mode} score needs weight (its matrix W)")
    if mode == "general":
        if v is not None:
            raise ValueError("the general score has no v; pass v only for 'concat'")
        return general_score(query, key, weight)
    if v is None:
        raise ValueError("the concat score needs v, shape (units,)")
    q = as_float_array(query, "query", min_ndim=2)
    k = as_float_array(key, "key", min_ndim=2)
    w = as_float_array(weight, "weight", min_ndim=2)
    d = q.shape[-1]
    if w.ndim != 2 or w.shape[0] != d + k.shape[-1]:
        raise ValueError(f"weight has shape {w.shape}, expected (query features + key "
                         f"features, units) = ({d + k.shape[-1]}, units) for the concat "
                         f"score (query {q.shape}, key {k.shape})")
    return additive_score(q, k, w[:d], w[d:], v)


def _query_value_key(query: ArrayLike, value: ArrayLike, key: ArrayLike | None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q = as_float_array(query, "query", min_ndim=2)
    val = as_float_array(value, "value", min_ndim=2)
    k = val if key is None else as_float_array(key, "key", min_ndim=2)
    check_same_batch({"query": q, "value": val, "key": k})
    if k.shape[-2] != val.shape[-2]:
        raise ValueError(f"key has {k.shape[-2]} positions but value has "
                         f"{val.shape[-2]}; every key needs exactly one value (key "
                         f"{k.shape}, value {val.shape})")
    return q, val, k


def global_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                     score_mode: str = "dot", weight: ArrayLike | None = None,
                     v: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Luong's global attention: a softmax over every source position.

    Shapes: query (..., Tq, d); value (..., S, dv); key (..., S, d_s), defaults to value.
    Returns (context (..., Tq, dv), weights (..., Tq, S)); every weight is > 0 and each
    row sums to 1. Scores as in :func:`luong_score`.
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    q, val, k = _query_value_key(query, value, key)
    weights = softmax_kernel(luong_score(q, k, mode=score_mode, weight=weight, v=v))
    return weights @ val, weights


def predicted_position(query: ArrayLike, w_p: ArrayLike, v_p: ArrayLike,
                       source_length: int) -> np.ndarray:
    """Local-p's aligned position p_t = S * sigmoid(v_p^T tanh(W_p h_t)), in (0, S).

    Shapes: query (..., Tq, d), w_p (d, units), v_p (units,) -> positions (..., Tq).
    """
    q = as_float_array(query, "query", min_ndim=2)
    w = as_float_array(w_p, "w_p", min_ndim=2)
    vp = as_float_array(v_p, "v_p")
    s = _source_length(source_length)
    if w.ndim != 2 or w.shape[0] != q.shape[-1]:
        raise ValueError(f"w_p has shape {w.shape}, expected ({q.shape[-1]}, units) for "
                         f"query {q.shape}")
    if vp.shape != (w.shape[1],):
        raise ValueError(f"v_p has shape {vp.shape}, expected ({w.shape[1]},), one entry "
                         f"per unit of w_p {w.shape}")
    z = np.tanh(q @ w) @ vp
    return s / (1.0 + np.exp(-z))


def _source_length(n: Any) -> int:
    return check_int(n, "source_length", minimum=1)


def _half_width(d: Any) -> int:
    """D, the window's half width ([p - D, p + D]); sigma = D / 2 must be > 0."""
    return check_int(d, "half_width", minimum=1)


def _positions(positions: ArrayLike, source_length: int) -> np.ndarray:
    p = as_float_array(positions, "positions", min_ndim=0)
    if (p < 0).any() or (p > source_length).any():
        raise ValueError(f"positions must lie in [0, S] = [0, {source_length}]; got "
                         f"values from {p.min():.3g} to {p.max():.3g}")
    return p


def local_window(positions: ArrayLike, source_length: int, half_width: int) -> np.ndarray:
    """Which source positions s lie in local-p's window, |s - p_t| <= D.

    With D >= 1 and p_t in [0, S] every window holds at least one position.
    Shapes: positions (...) -> bool (..., S).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    s = _source_length(source_length)
    d = _half_width(half_width)
    p = _positions(positions, s)
    return np.abs(np.arange(s) - p[..., None]) <= d


def gaussian_window(positions: ArrayLike, source_length: int, half_width: int) -> np.ndarray:
    """Local-p's Gaussian exp(-(s - p_t)^2 / (2 sigma^2)) with sigma = D / 2.

    Shapes: positions (...) -> (..., S), 1 at s = p_t and falling off on both sides.
    """
    s = _source_length(source_length)
    sigma = _half_width(half_width) / 2
    p = _positions(positions, s)
    return np.exp(-((np.arange(s) - p[..., None]) ** 2) / (2 * sigma ** 2))


def local_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                    half_width: int, positions: ArrayLike | None = None,
                    w_p: ArrayLike | None = None, v_p: ArrayLike | None = None,
                    score_mode: str = "dot", weight: ArrayLike | None = None,
                    v: ArrayLike | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Luong's local-p attention: a_t(s) = align(h_t, h_s) * exp(-(s - p_t)^2 / (2 sigma^2))
    for s in the window [p_t - D, p_t + D], and exactly 0 outside it; sigma = D / 2.

    ``align`` is the softmax of :func:`luong_score` over the window's positions only.
    p_t comes from ``positions`` (..., Tq) if given, else from
    :func:`predicted_position` with ``w_p`` and ``v_p``. As in the paper the Gaussian
    is applied after the softmax, so a row sums to at most 1.
    Shapes: query (..., Tq, d); value (..., S, dv); key (..., S, d_s), defaults to value.
    Returns (context (..., Tq, dv), weights (..., Tq, S), positions (..., Tq)).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    q, val, k = _query_value_key(query, value, key)
    s = val.shape[-2]
    d = _half_width(half_width)
    if positions is None:
        if w_p is None or v_p is None:
            raise ValueError("local_attention needs positions, or w_p and v_p to predict "
                             "them")
        p = predicted_position(q, w_p, v_p, s)
    else:
        if w_p is not None or v_p is not None:
            raise ValueError("give either positions or (w_p, v_p), not both")
        p = _positions(positions, s)
        if p.shape != q.shape[:-1]:
            raise ValueError(f"positions has shape {p.shape}, expected {q.shape[:-1]}, "
                             f"one per query (query {q.shape})")
    scores = luong_score(q, k, mode=score_mode, weight=weight, v=v)
    inside = local_window(p, s, d)
    align = softmax_kernel(np.where(inside, scores, -np.inf))
    weights = np.where(inside, align * gaussian_window(p, s, d), 0.0)
    return weights @ val, weights, p
