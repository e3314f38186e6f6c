"""Score functions, stage 1 of attention: how well each query matches each key.

Every function takes query (..., Tq, dq) and key (..., Tv, dk) with the same leading
axes and returns scores (..., Tq, Tv): row i holds query i's score against every key.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_finite_scalar,
    as_float_array,
    check_choice,
    check_features,
    check_same_batch,
)


def _query_key(query: ArrayLike, key: ArrayLike, *, same_features: bool = True,
               why: str = "for a dot-product score") -> tuple[np.ndarray, np.ndarray]:
    q = as_float_array(query, "query", min_ndim=2)
    k = as_float_array(key, "key", min_ndim=2)
    if same_features:
        check_features(q, "query", k, "key", why)
    check_same_batch({"query": q, "key": k})
    return q, k


# -- the maths: kernels that check nothing (the public functions below check first) -----

def _dot(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    return q @ np.swapaxes(k, -1, -2)


def _scaled_dot(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    return _dot(q, k) / np.sqrt(q.shape[-1])


def _concat(q: np.ndarray, k: np.ndarray, scale: float | None, weight: float) -> np.ndarray:
    summed = q[..., :, None, :] + k[..., None, :, :]
    if scale is not None:
        summed = scale * summed
    return weight * np.tanh(summed).sum(axis=-1)


def _cosine(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    eps = 1e-12
    qn = q / np.maximum(np.linalg.norm(q, axis=-1, keepdims=True), eps)
    kn = k / np.maximum(np.linalg.norm(k, axis=-1, keepdims=True), eps)
    return _dot(qn, kn)


#: The score modes of :func:`attention_lib.attention` and the explorer, in one table.
SCORE_MODES = ("dot", "concat", "scaled_dot", "cosine")
_PARAMETER_FREE = {"dot": _dot, "scaled_dot": _scaled_dot, "cosine": _cosine}


def score_kernel(q: np.ndarray, k: np.ndarray, score_mode: str, scale: float | None = None,
                 concat_weight: float = 1.0) -> np.ndarray:
    """Stage 1 by ``score_mode``: the one dispatch over the modes of :data:`SCORE_MODES`.
    The maths only, for callers that have checked their arguments (float64 arrays whose
    features and batch axes match, a known mode, finite numbers): ``scale`` multiplies
    the score (inside tanh for concat, as Keras does), None = no scale.

    Shapes: q (..., Tq, d), k (..., Tv, d) -> scores (..., Tq, Tv).
    """
    if score_mode == "concat":
        return _concat(q, k, scale, concat_weight)
    raw = _PARAMETER_FREE[score_mode](q, k)
    return raw if scale is None else raw * scale


# -- the public score functions: check, then the kernel ---------------------------------

def score(query: ArrayLike, key: ArrayLike, *, score_mode: str = "dot",
          scale: float | None = None, concat_weight: float = 1.0) -> np.ndarray:
    """Stage 1 for any mode of :data:`SCORE_MODES`, checked: what
    :func:`attention_lib.attention` computes before its softmax. ``scale`` multiplies the
    score (inside tanh for concat); None = no scale.

    Shapes: query (..., Tq, d), key (..., Tv, d) -> scores (..., Tq, Tv).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    check_choice(score_mode, "score_mode", SCORE_MODES)
    why = ("for the concat score (q + k is added feature by feature)"
           if score_mode == "concat" else f"for a {score_mode.replace('_', ' ')} score")
    q, k = _query_key(query, key, why=why)
    return score_kernel(q, k, score_mode, None if scale is None else
                        as_finite_scalar(scale, "scale"),
                        as_finite_scalar(concat_weight, "concat_weight"))


def dot_score(query: ArrayLike, key: ArrayLike) -> np.ndarray:
    """Dot-product score q_i . k_j (Luong "dot", Keras ``score_mode="dot"``).

    Shapes: query (..., Tq, d), key (..., Tv, d) -> scores (..., Tq, Tv).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    return _dot(*_query_key(query, key))


def scaled_dot_score(query: ArrayLike, key: ArrayLike) -> np.ndarray:
    """Scaled dot-product score q_i . k_j / sqrt(d) (Vaswani et al. 2017).

    Shapes: query (..., Tq, d), key (..., Tv, d) -> scores (..., Tq, Tv).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    return _scaled_dot(*_query_key(query, key))


def general_score(query: ArrayLike, key: ArrayLike, weight: ArrayLike) -> np.ndarray:
    """Luong "general" score q_i W k_j^T with a learned matrix W.

    Shapes: query (..., Tq, dq), key (..., Tv, dk), weight (dq, dk) -> (..., Tq, Tv).
    """
    q, k = _query_key(query, key, same_features=False)
    w = as_float_array(weight, "weight", min_ndim=2)
    if w.shape != (q.shape[-1], k.shape[-1]):
        raise ValueError(f"weight has shape {w.shape}, expected (query features, key "
                         f"features) = {(q.shape[-1], k.shape[-1])} "
                         f"(query {q.shape}, key {k.shape})")
    return q @ w @ np.swapaxes(k, -1, -2)


def concat_score(query: ArrayLike, key: ArrayLike, *, scale: float | None = None,
                 weight: float = 1.0) -> np.ndarray:
    """Keras's ``score_mode="concat"``: weight * sum_f tanh(scale * (q_i + k_j))_f.

    ``weight`` is the layer's ``concat_score_weight`` and ``scale`` its ``use_scale``
    weight (None = no scale). Shapes: query (..., Tq, d), key (..., Tv, d) ->
    (..., Tq, Tv). Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    q, k = _query_key(query, key, why="for the concat score (q + k is added feature "
                                       "by feature)")
    return _concat(q, k, None if scale is None else as_finite_scalar(scale, "scale"),
                   as_finite_scalar(weight, "weight"))


def keras_additive_score(query: ArrayLike, key: ArrayLike,
                         scale: ArrayLike | None = None) -> np.ndarray:
    """Keras ``AdditiveAttention`` score: sum_f scale_f * tanh(q_i + k_j)_f.

    Bahdanau's score with the learned projections W_q, W_k left out (Keras expects the
    caller to project first) and v replaced by the per-feature ``scale`` (None = ones).
    Shapes: query (..., Tq, d), key (..., Tv, d), scale (d,) -> (..., Tq, Tv).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    q, k = _query_key(query, key, why="for the additive score (q + k is added feature "
                                       "by feature)")
    t = np.tanh(q[..., :, None, :] + k[..., None, :, :])
    if scale is None:
        return t.sum(axis=-1)
    s = as_float_array(scale, "scale")
    if s.shape != (q.shape[-1],):
        raise ValueError(f"scale has shape {s.shape}, expected ({q.shape[-1]},), one "
                         f"weight per feature (query {q.shape})")
    return t @ s


def additive_score(query: ArrayLike, key: ArrayLike, w_query: ArrayLike,
                   w_key: ArrayLike, v: ArrayLike) -> np.ndarray:
    """Bahdanau additive score v^T tanh(W_q q_i + W_k k_j) (row-vector form q @ W_q).

    Shapes: query (..., Tq, dq), key (..., Tv, dk), w_query (dq, units),
    w_key (dk, units), v (units,) -> scores (..., Tq, Tv).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    q, k = _query_key(query, key, same_features=False)
    wq = as_float_array(w_query, "w_query", min_ndim=2)
    wk = as_float_array(w_key, "w_key", min_ndim=2)
    vv = as_float_array(v, "v")
    if wq.ndim != 2 or wq.shape[0] != q.shape[-1]:
        raise ValueError(f"w_query has shape {wq.shape}, expected ({q.shape[-1]}, units) "
                         f"for query {q.shape}")
    if wk.ndim != 2 or wk.shape[0] != k.shape[-1]:
        raise ValueError(f"w_key has shape {wk.shape}, expected ({k.shape[-1]}, units) "
                         f"for key {k.shape}")
    if wk.shape[1] != wq.shape[1]:
        raise ValueError(f"w_key has {wk.shape[1]} units but w_query has {wq.shape[1]}; "
                         f"they must match (w_query {wq.shape}, w_key {wk.shape})")
    if vv.shape != (wq.shape[1],):
        raise ValueError(f"v has shape {vv.shape}, expected ({wq.shape[1]},), one entry "
                         f"per unit")
    hidden = np.tanh((q @ wq)[..., :, None, :] + (k @ wk)[..., None, :, :])
    return hidden @ vv


def cosine_score(query: ArrayLike, key: ArrayLike) -> np.ndarray:
    """Cosine similarity cos(q_i, k_j), in [-1, 1]; a zero vector scores 0 with anything.

    Shapes: query (..., Tq, d), key (..., Tv, d) -> scores (..., Tq, Tv).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    return _cosine(*_query_key(query, key, why="for a cosine score"))
