"""Multi-head attention (Vaswani et al. 2017), a numpy twin of
``tf.keras.layers.MultiHeadAttention`` that runs on the layer's own ``get_weights()``.

Keras 3 computes, per head h (N heads, key_dim H, value_dim Hv)::

    q_h = query @ Wq[:, h] + bq[h]          (B, Tq, H)
    k_h = key   @ Wk[:, h] + bk[h]          (B, Tv, H)
    v_h = value @ Wv[:, h] + bv[h]          (B, Tv, Hv)
    scores_h = softmax((q_h / sqrt(H)) @ k_h^T, masked)   (B, Tq, Tv)
    output = sum_h (scores_h @ v_h) @ Wo[h] + bo          (B, Tq, d_out)

The masked softmax follows Keras's ``Softmax`` layer: masked scores are replaced by
-1e9 before the softmax and their weights set to exactly 0 after it, so a row whose
every key is masked gets all-zero weights (and its output is just the output bias).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_bool_mask, as_float_array, check_bool, check_int, check_rng
from .masks import causal_mask
from .softmax import softmax_kernel

#: Names of the arrays ``MultiHeadAttention.get_weights()`` returns, in order.
WEIGHT_NAMES = ("query_kernel", "query_bias", "key_kernel", "key_bias", "value_kernel",
                "value_bias", "output_kernel", "output_bias")


def unpack_multihead_weights(weights: Any) -> dict[str, np.ndarray | None]:
    """Name and check the arrays of ``MultiHeadAttention.get_weights()``.

    ``weights`` is a list of 8 arrays (use_bias=True) or 4 kernels (use_bias=False):
    query_kernel (dq, N, H), query_bias (N, H), key_kernel (dk, N, H), key_bias (N, H),
    value_kernel (dv, N, Hv), value_bias (N, Hv), output_kernel (N, Hv, d_out),
    output_bias (d_out,). Returns a dict keyed by :data:`WEIGHT_NAMES` (biases None
    when absent) as float64 arrays.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    if isinstance(weights, dict) or not isinstance(weights, (list, tuple)):
        raise TypeError("weights must be a list of arrays in get_weights() order; got "
                        f"{type(weights).__name__}")
    if len(weights) == 8:
        named = dict(zip(WEIGHT_NAMES, weights, strict=True))
    elif len(weights) == 4:
        named = dict(zip(WEIGHT_NAMES[::2], weights, strict=True))
    else:
        raise ValueError(f"weights must hold 8 arrays (kernels and biases) or 4 "
                         f"(kernels only, use_bias=False); got {len(weights)}")
    out: dict[str, np.ndarray | None] = {}
    for name in WEIGHT_NAMES:
        out[name] = (None if name not in named
                     else as_float_array(named[name], f"weights[{name!r}]"))
    qk, kk, vk, ok = (out["query_kernel"], out["key_kernel"], out["value_kernel"],
                      out["output_kernel"])
    assert qk is not None and kk is not None and vk is not None and ok is not None
    for name, arr in (("query_kernel", qk), ("key_kernel", kk), ("value_kernel", vk),
                      ("output_kernel", ok)):
        if arr.ndim != 3:
            raise ValueError(f"weights[{name!r}] must be 3-D; got shape {arr.shape}")
    heads, key_dim = qk.shape[1:]
    if kk.shape[1:] != (heads, key_dim):
        raise ValueError(f"weights['key_kernel'] has shape {kk.shape}, expected "
                         f"(key features, {heads}, {key_dim}) to match query_kernel "
                         f"{qk.shape}")
    if vk.shape[1] != heads:
        raise ValueError(f"weights['value_kernel'] has shape {vk.shape}, expected "
                         f"(value features, {heads}, value_dim): {heads} heads as in "
                         f"query_kernel {qk.shape}")
    value_dim = vk.shape[2]
    if ok.shape[:2] != (heads, value_dim):
        raise ValueError(f"weights['output_kernel'] has shape {ok.shape}, expected "
                         f"({heads}, {value_dim}, output features) to match "
                         f"value_kernel {vk.shape}")
    expected_bias = {"query_bias": (heads, key_dim), "key_bias": (heads, key_dim),
                     "value_bias": (heads, value_dim), "output_bias": (ok.shape[2],)}
    for name, shape in expected_bias.items():
        b = out[name]
        if b is not None and b.shape != shape:
            raise ValueError(f"weights[{name!r}] has shape {b.shape}, expected {shape}")
    return out


def init_multihead_weights(rng: np.random.Generator, query_features: int, num_heads: int,
                           key_dim: int, value_dim: int | None = None, *,
                           key_features: int | None = None,
                           value_features: int | None = None,
                           output_features: int | None = None,
                           use_bias: bool = True) -> list[np.ndarray]:
    """Random weights in ``get_weights()`` order, drawn like Keras's defaults
    (Glorot-uniform kernels over (fan_in, N * H), zero biases).

    ``key_features`` and ``value_features`` default to ``query_features`` (self-attention);
    ``value_dim`` to ``key_dim``; ``output_features`` to ``query_features``.
    Returns 8 arrays, or 4 kernels when ``use_bias`` is False (shapes as in
    :func:`unpack_multihead_weights`).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    rng = check_rng(rng)
    use_bias = check_bool(use_bias, "use_bias")
    dq = check_int(query_features, "query_features", minimum=1)
    n = check_int(num_heads, "num_heads", minimum=1)
    h = check_int(key_dim, "key_dim", minimum=1)
    hv = h if value_dim is None else check_int(value_dim, "value_dim", minimum=1)
    dk = dq if key_features is None else check_int(key_features, "key_features", minimum=1)
    dv = dq if value_features is None else check_int(value_features, "value_features", minimum=1)
    do = dq if output_features is None else check_int(output_features, "output_features", minimum=1)

    def glorot(shape: tuple[int, ...], fan_in: int, fan_out: int) -> np.ndarray:
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape)

    kernels = [glorot((dq, n, h), dq, n * h), glorot((dk, n, h), dk, n * h),
               glorot((dv, n, hv), dv, n * hv), glorot((n, hv, do), n * hv, do)]
    if not use_bias:
        return kernels
    biases = [np.zeros((n, h)), np.zeros((n, h)), np.zeros((n, hv)), np.zeros(do)]
    return [kernels[0], biases[0], kernels[1], biases[1], kernels[2], biases[2],
            kernels[3], biases[3]]


def _project(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """(B, T, d) x (d, N, H) -> (B, T, N, H), Keras's "abc,cde->abde"."""
    out = np.einsum("btd,dnh->btnh", x, kernel)
    return out if bias is None else out + bias


def multi_head_steps(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                     weights: Any, attention_mask: ArrayLike | None = None,
                     use_causal_mask: bool = False) -> dict[str, np.ndarray]:
    """Multi-head attention step by step: every intermediate array, in the order Keras
    makes them. The one implementation: :func:`multi_head_attention` returns two of them.

    Shapes (B batch, N heads, H key_dim, Hv value_dim): query (B, Tq, dq), key
    (B, Tv, dk), value (B, Tv, dv) -> "query heads" (B, Tq, N, H), "key heads"
    (B, Tv, N, H), "value heads" (B, Tv, N, Hv), "scores" (B, N, Tq, Tv) (the scaled
    dot products before masking), "weights" (B, N, Tq, Tv), "context" (B, Tq, N, Hv),
    "output" (B, Tq, d_out); unbatched 2-D input gives every array without B.
    Arguments as in :func:`multi_head_attention`.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    w = unpack_multihead_weights(weights)
    use_causal_mask = check_bool(use_causal_mask, "use_causal_mask")
    q = as_float_array(query, "query", min_ndim=2)
    v = as_float_array(value, "value", min_ndim=2)
    k = v if key is None else as_float_array(key, "key", min_ndim=2)
    k_name = "value" if key is None else "key"
    for name, arr in (("query", q), ("value", v), (k_name, k)):
        if arr.ndim > 3:
            raise ValueError(f"{name} must be 2-D (T, d) or 3-D (batch, T, d); got shape "
                             f"{arr.shape}")
    if not q.ndim == v.ndim == k.ndim:
        raise ValueError(f"query, value and key must all be 2-D or all 3-D (query "
                         f"{q.shape}, value {v.shape}, {k_name} {k.shape})")
    unbatched = q.ndim == 2
    if unbatched:
        q, v, k = q[None], v[None], k[None]
    if not q.shape[0] == v.shape[0] == k.shape[0]:
        raise ValueError(f"query, value and {k_name} have batch sizes {q.shape[0]}, "
                         f"{v.shape[0]} and {k.shape[0]}; they must match")
    if k.shape[1] != v.shape[1]:
        raise ValueError(f"key has {k.shape[1]} positions but value has {v.shape[1]}; "
                         f"every key needs exactly one value (key {k.shape}, value "
                         f"{v.shape})")
    qk, kk, vk, ok = (w["query_kernel"], w["key_kernel"], w["value_kernel"],
                      w["output_kernel"])
    assert qk is not None and kk is not None and vk is not None and ok is not None
    for name, arr, kernel, kname in (("query", q, qk, "query_kernel"),
                                      (k_name, k, kk, "key_kernel"),
                                      ("value", v, vk, "value_kernel")):
        if arr.shape[-1] != kernel.shape[0]:
            raise ValueError(f"{name} has {arr.shape[-1]} features but "
                             f"weights[{kname!r}] expects {kernel.shape[0]} "
                             f"({name} {arr.shape}, {kname} {kernel.shape})")
    batch, tq, tv = q.shape[0], q.shape[1], v.shape[1]
    allowed = np.ones((batch, tq, tv), dtype=bool)
    if attention_mask is not None:
        m = np.asarray(attention_mask)
        shape = (tq, tv) if unbatched or m.ndim == 2 else (batch, tq, tv)
        allowed &= as_bool_mask(m, "attention_mask", shape)
    if use_causal_mask:
        allowed &= causal_mask(tq, tv)

    key_dim = qk.shape[2]
    qh = _project(q, qk, w["query_bias"])                        # (B, Tq, N, H)
    kh = _project(k, kk, w["key_bias"])                          # (B, Tv, N, H)
    vh = _project(v, vk, w["value_bias"])                        # (B, Tv, N, Hv)
    # Keras scales the query heads by 1/sqrt(key_dim) before the dot product.
    raw = np.einsum("bsnh,btnh->bnts", kh, qh / math.sqrt(key_dim))  # (B, N, Tq, Tv)
    mask = allowed[:, None, :, :]
    weights = softmax_kernel(np.where(mask, raw, -1e9), axis=-1)
    weights = np.where(mask, weights, 0.0)
    context = np.einsum("bnts,bsnh->btnh", weights, vh)          # (B, Tq, N, Hv)
    output = np.einsum("btnh,nho->bto", context, ok)
    if w["output_bias"] is not None:
        output = output + w["output_bias"]
    steps = {"query": q, "key": k, "value": v, "query heads": qh, "key heads": kh,
             "value heads": vh, "scores": raw, "weights": weights, "context": context,
             "output": output}
    if unbatched:
        return {name: a[0] for name, a in steps.items()}
    return steps


def multi_head_attention(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                         *, weights: Any, attention_mask: ArrayLike | None = None,
                         use_causal_mask: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Multi-head attention with the weights of a ``tf.keras.layers.MultiHeadAttention``.

    ``weights`` is ``layer.get_weights()`` (or :func:`init_multihead_weights`); heads,
    key_dim, value_dim and use_bias are read from its shapes. The query of each head is
    scaled by 1/sqrt(key_dim) before the dot product, as Keras does.

    Shapes: query (B, Tq, dq); value (B, Tv, dv); key (B, Tv, dk), defaults to value;
    unbatched 2-D input (T, d) works too and gives unbatched results.
    ``attention_mask`` (B, Tq, Tv), or (Tq, Tv) for every batch entry, True = attend
    (the same for every head);
    ``use_causal_mask`` lets query i see keys j <= i only; both combine with AND.
    Returns (output (B, Tq, d_out), scores (B, N, Tq, Tv)), where scores are the
    attention weights; a row with no key left to attend is all zeros, as on Keras's
    explicit path (scores returned, or dropout); Keras's fused path, a normal call,
    gives such a row uniform weights instead (:mod:`attention_lib.mask_rules`).
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    steps = multi_head_steps(query, value, key, weights=weights,
                             attention_mask=attention_mask, use_causal_mask=use_causal_mask)
    return steps["output"], steps["weights"]
