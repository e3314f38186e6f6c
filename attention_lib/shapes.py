"""Shapes at every step: the intermediate arrays of multi-head attention, and a plain
text table of what shape each one has."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array
from .multihead import _project, multi_head_attention, unpack_multihead_weights


def multi_head_steps(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None, *,
                     weights: Any, attention_mask: ArrayLike | None = None,
                     use_causal_mask: bool = False) -> dict[str, np.ndarray]:
    """Every intermediate array of ``MultiHeadAttention``, in the order Keras makes them.

    Shapes (B batch, N heads, H key_dim, Hv value_dim): query (B, Tq, dq), key
    (B, Tv, dk), value (B, Tv, dv) -> "query heads" (B, Tq, N, H), "key heads"
    (B, Tv, N, H), "value heads" (B, Tv, N, Hv), "scores" (B, N, Tq, Tv) (the scaled
    dot products before masking), "weights" (B, N, Tq, Tv), "context" (B, Tq, N, Hv),
    "output" (B, Tq, d_out). Only 3-D (batched) input, as the Keras layer needs.
    "weights" and "output" are exactly :func:`attention_lib.multihead.multi_head_attention`.
    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    q = as_float_array(query, "query", min_ndim=2)
    if q.ndim != 3:
        raise ValueError(f"query must be 3-D (batch, Tq, features), as MultiHeadAttention "
                         f"needs; got shape {q.shape}")
    output, attn = multi_head_attention(query, value, key, weights=weights,
                                        attention_mask=attention_mask,
                                        use_causal_mask=use_causal_mask)
    w = unpack_multihead_weights(weights)
    v = as_float_array(value, "value", min_ndim=3)
    k = v if key is None else as_float_array(key, "key", min_ndim=3)
    qk = w["query_kernel"]
    assert qk is not None
    qh = _project(q, qk, w["query_bias"])
    kh = _project(k, w["key_kernel"], w["key_bias"])  # type: ignore[arg-type]
    vh = _project(v, w["value_kernel"], w["value_bias"])  # type: ignore[arg-type]
    scores = np.einsum("bsnh,btnh->bnts", kh, qh / math.sqrt(qk.shape[2]))
    context = np.einsum("bnts,bsnh->btnh", attn, vh)
    return {"query": q, "key": k, "value": v, "query heads": qh, "key heads": kh,
            "value heads": vh, "scores": scores, "weights": attn, "context": context,
            "output": output}


def shape_table(arrays: Mapping[str, ArrayLike], notes: Mapping[str, str] | None = None
                ) -> str:
    """A text table with one line per array: its name, its shape and an optional note.

    Introduced in notebooks/06_keras_attention_layers.ipynb.
    """
    if not isinstance(arrays, Mapping) or not arrays:
        raise TypeError("arrays must be a non-empty dict of name -> array")
    notes = {} if notes is None else dict(notes)
    unknown = sorted(set(notes) - set(arrays))
    if unknown:
        raise ValueError(f"notes names arrays that are not in arrays: {unknown}")
    width = max(len(str(name)) for name in arrays)
    shapes = {name: str(tuple(np.shape(a))) for name, a in arrays.items()}
    swidth = max(len(s) for s in shapes.values())
    lines = []
    for name in arrays:
        note = notes.get(name, "")
        lines.append(f"{name:<{width}}  {shapes[name]:<{swidth}}  {note}".rstrip())
    return "\n".join(lines)
