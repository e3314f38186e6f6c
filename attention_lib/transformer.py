"""The Transformer's encoder block (Vaswani et al. 2017) in numpy, step by step: the
sinusoidal positional encoding, layer normalization, the position-wise feed-forward
network, and the post-norm block that joins them to multi-head self-attention::

    h   = LayerNorm(x + MultiHeadAttention(x, x))        "Add & Norm" 1
    out = LayerNorm(h + relu(h W1 + b1) W2 + b2)         "Add & Norm" 2

The attention is :func:`attention_lib.multihead.multi_head_steps`, the twin of Keras's
``MultiHeadAttention``, run on weights in ``get_weights()`` order; layer normalization
is Keras's ``LayerNormalization`` (population variance over the last axis, epsilon 1e-3
by default, where PyTorch uses 1e-5). :mod:`attention_lib.transformer_keras` builds the
same block from Keras layers and checks the two agree.

Self-attention has no notion of order: shuffle the tokens and its outputs come out
shuffled the same way (it is permutation-equivariant), and so does the whole block,
whose other steps act on each position alone. :func:`permutation_gap` measures how far a
function is from that; adding :func:`positional_encoding` to the tokens first breaks it,
which is why the Transformer adds it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, Literal, overload

import numpy as np
from numpy.typing import ArrayLike

from ._checks import (
    as_float_array,
    as_int_array,
    check_bool,
    check_int,
    check_positive_float,
    check_rng,
)
from .multihead import init_multihead_weights, multi_head_steps, unpack_multihead_weights

#: Keras's ``LayerNormalization`` default epsilon (Keras 3), the default here too.
LAYER_NORM_EPSILON = 1e-3

#: The names of :func:`encoder_block_steps`' arrays, in the order the block makes them.
STEP_NAMES = ("input", "query heads", "key heads", "value heads", "scores", "weights",
              "heads concatenated", "attention output", "residual 1", "norm 1",
              "ffn hidden", "ffn output", "residual 2", "norm 2")


def positional_encoding(length: int, d_model: int, *, base: float = 10000.0) -> np.ndarray:
    """The sinusoidal positional encoding of Vaswani et al. (2017)::

        PE[pos, 2i]     = sin(pos / base^(2i / d_model))
        PE[pos, 2i + 1] = cos(pos / base^(2i / d_model))

    for positions 0 .. length - 1 and i = 0 .. d_model / 2 - 1: each pair of columns is
    a sine and a cosine of one frequency, from 1 (columns 0 and 1) down to about
    1 / base. Every entry lies in [-1, 1]. Shapes: returns float64 (length, d_model).
    """
    length = check_int(length, "length", minimum=1)
    d_model = check_int(d_model, "d_model", minimum=2)
    if d_model % 2:
        raise ValueError(f"d_model must be even (a sine and a cosine per frequency); "
                         f"got {d_model}")
    base = check_positive_float(base, "base")
    pos = np.arange(length, dtype=np.float64)[:, None]                 # (length, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)[None, :]        # (1, d_model / 2)
    angles = pos / base ** (two_i / d_model)
    pe = np.empty((length, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


def _tokens(x: ArrayLike, name: str = "x") -> np.ndarray:
    """A sequence (T, d) or a batch of them (B, T, d), as float64."""
    arr = as_float_array(x, name, min_ndim=2)
    if arr.ndim > 3:
        raise ValueError(f"{name} must be 2-D (T, d) or 3-D (batch, T, d); got shape "
                         f"{arr.shape}")
    return arr


def add_positional_encoding(x: ArrayLike) -> np.ndarray:
    """``x`` plus :func:`positional_encoding` of its length and width: token t gets
    PE[t]. Shapes: x (T, d) or (B, T, d), d even -> the same shape."""
    arr = _tokens(x)
    return arr + positional_encoding(arr.shape[-2], arr.shape[-1])


def _vector(v: ArrayLike, name: str, size: int, what: str) -> np.ndarray:
    arr = as_float_array(v, name)
    if arr.shape != (size,):
        raise ValueError(f"{name} has shape {arr.shape}, expected ({size},): {what}")
    return arr


def layer_norm(x: ArrayLike, gamma: ArrayLike, beta: ArrayLike,
               epsilon: float = LAYER_NORM_EPSILON) -> np.ndarray:
    """Layer normalization over the last axis, as ``keras.layers.LayerNormalization``
    computes it: ``(x - mean) / sqrt(var + epsilon) * gamma + beta``, with the mean and
    the (population, divide-by-d) variance of each position's d features.

    ``epsilon`` defaults to Keras's 1e-3 (PyTorch's ``nn.LayerNorm`` uses 1e-5).
    Shapes: x (..., d), gamma (d,), beta (d,) -> (..., d).
    """
    arr = as_float_array(x, "x")
    d = arr.shape[-1]
    g = _vector(gamma, "gamma", d, f"one scale per feature of x {arr.shape}")
    b = _vector(beta, "beta", d, f"one offset per feature of x {arr.shape}")
    eps = check_positive_float(epsilon, "epsilon")
    mean = arr.mean(axis=-1, keepdims=True)
    var = ((arr - mean) ** 2).mean(axis=-1, keepdims=True)
    return (arr - mean) / np.sqrt(var + eps) * g + b


def _ffn_shapes(d: int, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray,
                prefix: str = "") -> None:
    if w1.ndim != 2 or w1.shape[0] != d:
        raise ValueError(f"{prefix}w1 has shape {w1.shape}, expected ({d}, d_ff): one row "
                         f"per feature of the input")
    d_ff = w1.shape[1]
    if b1.shape != (d_ff,):
        raise ValueError(f"{prefix}b1 has shape {b1.shape}, expected ({d_ff},) to match "
                         f"{prefix}w1 {w1.shape}")
    if w2.ndim != 2 or w2.shape[0] != d_ff:
        raise ValueError(f"{prefix}w2 has shape {w2.shape}, expected ({d_ff}, d_out) to "
                         f"follow {prefix}w1 {w1.shape}")
    if b2.shape != (w2.shape[1],):
        raise ValueError(f"{prefix}b2 has shape {b2.shape}, expected ({w2.shape[1]},) to "
                         f"match {prefix}w2 {w2.shape}")


def feed_forward(x: ArrayLike, w1: ArrayLike, b1: ArrayLike, w2: ArrayLike,
                 b2: ArrayLike) -> np.ndarray:
    """The position-wise feed-forward network: ``relu(x W1 + b1) W2 + b2``, the same two
    layers applied to every position on its own (two ``Dense`` layers in Keras).

    Shapes: x (..., d), w1 (d, d_ff), b1 (d_ff,), w2 (d_ff, d_out), b2 (d_out,)
    -> (..., d_out).
    """
    arr = as_float_array(x, "x")
    a1, c1, a2, c2 = (as_float_array(w1, "w1"), as_float_array(b1, "b1"),
                      as_float_array(w2, "w2"), as_float_array(b2, "b2"))
    _ffn_shapes(arr.shape[-1], a1, c1, a2, c2)
    return np.maximum(arr @ a1 + c1, 0.0) @ a2 + c2


@dataclasses.dataclass
class EncoderBlockWeights:
    """Every weight of one encoder block, checked and stored as float64 arrays.

    ``attention`` is a ``MultiHeadAttention.get_weights()`` list (8 arrays, or 4 kernels
    with use_bias=False; see :func:`attention_lib.multihead.unpack_multihead_weights`)
    whose query features and output features are both d_model. Then the first
    LayerNorm's gamma and beta (d_model,), the feed-forward network's w1 (d_model, d_ff),
    b1 (d_ff,), w2 (d_ff, d_model), b2 (d_model,), and the second LayerNorm's.
    """

    attention: list[np.ndarray]
    norm1_gamma: np.ndarray
    norm1_beta: np.ndarray
    ffn_w1: np.ndarray
    ffn_b1: np.ndarray
    ffn_w2: np.ndarray
    ffn_b2: np.ndarray
    norm2_gamma: np.ndarray
    norm2_beta: np.ndarray

    def __post_init__(self) -> None:
        named = unpack_multihead_weights(self.attention)
        self.attention = [a for a in named.values() if a is not None]
        qk, ok = named["query_kernel"], named["output_kernel"]
        assert qk is not None and ok is not None
        d = qk.shape[0]
        if named["key_kernel"] is not None and named["key_kernel"].shape[0] != d:
            raise ValueError(f"weights.attention's key_kernel has shape "
                             f"{named['key_kernel'].shape}, expected ({d}, ...): in "
                             f"self-attention the keys are the same {d}-feature tokens "
                             f"as the queries")
        vk = named["value_kernel"]
        if vk is not None and vk.shape[0] != d:
            raise ValueError(f"weights.attention's value_kernel has shape {vk.shape}, "
                             f"expected ({d}, ...): the values are the same {d}-feature "
                             f"tokens as the queries")
        if ok.shape[2] != d:
            raise ValueError(f"weights.attention's output_kernel has shape {ok.shape}, "
                             f"expected (..., {d}): the attention output is added back "
                             f"to its {d}-feature input (the residual)")
        for name in ("norm1_gamma", "norm1_beta", "norm2_gamma", "norm2_beta"):
            setattr(self, name, _vector(getattr(self, name), f"weights.{name}", d,
                                        f"one per feature (d_model = {d})"))
        self.ffn_w1, self.ffn_b1, self.ffn_w2, self.ffn_b2 = (
            as_float_array(getattr(self, f"ffn_{n}"), f"weights.ffn_{n}")
            for n in ("w1", "b1", "w2", "b2"))
        _ffn_shapes(d, self.ffn_w1, self.ffn_b1, self.ffn_w2, self.ffn_b2,
                    prefix="weights.ffn_")
        if self.ffn_w2.shape[1] != d:
            raise ValueError(f"weights.ffn_w2 has shape {self.ffn_w2.shape}, expected "
                             f"({self.ffn_w2.shape[0]}, {d}): the feed-forward output is "
                             f"added back to its {d}-feature input (the residual)")

    @property
    def d_model(self) -> int:
        return int(self.attention[0].shape[0])

    @property
    def num_heads(self) -> int:
        return int(self.attention[0].shape[1])

    @property
    def key_dim(self) -> int:
        return int(self.attention[0].shape[2])

    @property
    def value_dim(self) -> int:
        return int(self.attention[-1].shape[1] if len(self.attention) == 4
                   else self.attention[-2].shape[1])

    @property
    def use_bias(self) -> bool:
        return len(self.attention) == 8

    @property
    def d_ff(self) -> int:
        return int(self.ffn_w1.shape[1])

    def arrays(self) -> list[np.ndarray]:
        """Every array, in field order (the attention's own list first)."""
        return [*self.attention, self.norm1_gamma, self.norm1_beta, self.ffn_w1,
                self.ffn_b1, self.ffn_w2, self.ffn_b2, self.norm2_gamma, self.norm2_beta]


def init_encoder_block_weights(rng: np.random.Generator, d_model: int, num_heads: int,
                               key_dim: int, d_ff: int) -> EncoderBlockWeights:
    """Random weights for one block, drawn like Keras's defaults: Glorot-uniform kernels
    (:func:`attention_lib.multihead.init_multihead_weights` for the attention), zero
    biases, LayerNorm gammas of 1 and betas of 0."""
    rng = check_rng(rng)
    d = check_int(d_model, "d_model", minimum=1)
    d_ff = check_int(d_ff, "d_ff", minimum=1)
    attention = init_multihead_weights(rng, d, num_heads, key_dim)

    def glorot(fan_in: int, fan_out: int) -> np.ndarray:
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=(fan_in, fan_out))

    return EncoderBlockWeights(
        attention=attention, norm1_gamma=np.ones(d), norm1_beta=np.zeros(d),
        ffn_w1=glorot(d, d_ff), ffn_b1=np.zeros(d_ff), ffn_w2=glorot(d_ff, d),
        ffn_b2=np.zeros(d), norm2_gamma=np.ones(d), norm2_beta=np.zeros(d))


def _check_weights(weights: Any) -> EncoderBlockWeights:
    if not isinstance(weights, EncoderBlockWeights):
        raise TypeError(f"weights must be an EncoderBlockWeights (see "
                        f"init_encoder_block_weights); got {type(weights).__name__}")
    return weights


def encoder_block_steps(x: ArrayLike, weights: EncoderBlockWeights, *,
                        mask: ArrayLike | None = None,
                        epsilon: float = LAYER_NORM_EPSILON) -> dict[str, np.ndarray]:
    """The encoder block step by step: every array it makes, named by
    :data:`STEP_NAMES`, in order (a dict; :func:`attention_lib.shapes.shape_table`
    prints their shapes).

    Shapes (B batch, T tokens, d = d_model, N heads, H key_dim, Hv value_dim):
    "input" (B, T, d); "query heads", "key heads" (B, T, N, H); "value heads"
    (B, T, N, Hv); "scores" (B, N, T, T), the scaled dot products before masking;
    "weights" (B, N, T, T), after the masked softmax; "heads concatenated" (B, T, N * Hv);
    "attention output", "residual 1" (x + attention), "norm 1" (B, T, d); "ffn hidden"
    (B, T, d_ff), after the relu; "ffn output", "residual 2", "norm 2" (B, T, d), the
    last the block's output. Unbatched input (T, d) gives every array without B.
    ``mask`` (T, T) or (B, T, T), True = attend, as ``MultiHeadAttention``'s
    ``attention_mask``; a query with no key left gets all-zero weights.
    """
    w = _check_weights(weights)
    arr = _tokens(x)
    if arr.shape[-1] != w.d_model:
        raise ValueError(f"x has {arr.shape[-1]} features but the weights are for "
                         f"d_model = {w.d_model} (x {arr.shape})")
    eps = check_positive_float(epsilon, "epsilon")
    unbatched = arr.ndim == 2
    xb = arr[None] if unbatched else arr
    if mask is not None and unbatched and np.ndim(mask) != 2:
        t = arr.shape[0]
        raise ValueError(f"mask has shape {np.shape(mask)}, expected ({t}, {t}) for "
                         f"unbatched x {arr.shape}")
    attn = multi_head_steps(xb, xb, weights=w.attention, attention_mask=mask)
    context = attn["context"]
    concatenated = context.reshape(*context.shape[:2], -1)
    residual1 = xb + attn["output"]
    norm1 = layer_norm(residual1, w.norm1_gamma, w.norm1_beta, eps)
    hidden = np.maximum(norm1 @ w.ffn_w1 + w.ffn_b1, 0.0)
    ffn_out = hidden @ w.ffn_w2 + w.ffn_b2
    residual2 = norm1 + ffn_out
    norm2 = layer_norm(residual2, w.norm2_gamma, w.norm2_beta, eps)
    steps = dict(zip(STEP_NAMES, (
        xb, attn["query heads"], attn["key heads"], attn["value heads"], attn["scores"],
        attn["weights"], concatenated, attn["output"], residual1, norm1, hidden, ffn_out,
        residual2, norm2), strict=True))
    if unbatched:
        return {name: a[0] for name, a in steps.items()}
    return steps


@overload
def encoder_block(x: ArrayLike, weights: EncoderBlockWeights, *,
                  mask: ArrayLike | None = ..., return_steps: Literal[False] = ...,
                  epsilon: float = ...) -> np.ndarray: ...


@overload
def encoder_block(x: ArrayLike, weights: EncoderBlockWeights, *,
                  mask: ArrayLike | None = ..., return_steps: Literal[True],
                  epsilon: float = ...) -> tuple[np.ndarray, dict[str, np.ndarray]]: ...


def encoder_block(x: ArrayLike, weights: EncoderBlockWeights, *,
                  mask: ArrayLike | None = None, return_steps: bool = False,
                  epsilon: float = LAYER_NORM_EPSILON
                  ) -> np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]:
    """One post-norm Transformer encoder block (Vaswani et al. 2017)::

        h   = LayerNorm(x + MultiHeadAttention(x, x))
        out = LayerNorm(h + relu(h W1 + b1) W2 + b2)

    Shapes: x (T, d_model) or (B, T, d_model) -> the same shape. ``mask`` (T, T) or
    (B, T, T), True = attend. With ``return_steps`` returns (out, steps), steps the
    dict of :func:`encoder_block_steps`.
    """
    return_steps = check_bool(return_steps, "return_steps")
    steps = encoder_block_steps(x, weights, mask=mask, epsilon=epsilon)
    out = steps["norm 2"]
    return (out, steps) if return_steps else out


def permute_tokens(x: ArrayLike, order: ArrayLike) -> np.ndarray:
    """Reorder the tokens of ``x``: row t of the result is row ``order[t]`` of x.

    Shapes: x (..., T, d), order a permutation of 0 .. T - 1 -> (..., T, d).
    """
    arr = as_float_array(x, "x", min_ndim=2)
    idx = as_int_array(order, "order", 1)
    t = arr.shape[-2]
    if idx.shape != (t,) or not np.array_equal(np.sort(idx), np.arange(t)):
        raise ValueError(f"order must be a permutation of 0 .. {t - 1} (x has {t} "
                         f"tokens, shape {arr.shape}); got {idx.tolist()}")
    return arr[..., idx, :]


def permutation_gap(fn: Callable[[np.ndarray], Any], x: ArrayLike,
                    order: ArrayLike) -> float:
    """How far ``fn`` is from permutation-equivariant on ``x``: the largest
    ``|fn(permute_tokens(x, order)) - permute_tokens(fn(x), order)|``.

    About 0 (float rounding) for self-attention and the encoder block without positional
    encoding: shuffle the tokens and the outputs shuffle the same way. Well above it
    once ``fn`` adds :func:`positional_encoding`, e.g.
    ``lambda x: encoder_block(add_positional_encoding(x), weights)``.
    Shapes: x (..., T, d); ``fn`` maps it to an array (..., T, anything).
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function of the tokens; got {type(fn).__name__}")
    arr = as_float_array(x, "x", min_ndim=2)
    shuffled_in = np.asarray(fn(permute_tokens(arr, order)), dtype=np.float64)
    shuffled_out = permute_tokens(np.asarray(fn(arr), dtype=np.float64), order)
    if shuffled_in.shape != shuffled_out.shape:
        raise ValueError(f"fn gave shape {shuffled_in.shape} on the shuffled tokens but "
                         f"{shuffled_out.shape} on the original ones")
    return float(np.max(np.abs(shuffled_in - shuffled_out)))
