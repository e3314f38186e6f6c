"""The encoder block of :mod:`attention_lib.transformer` built from Keras layers, and the
check that the two compute the same numbers.

The Keras block is a small custom layer made of ``MultiHeadAttention``, two
``LayerNormalization`` and two ``Dense`` layers, post-norm as in Vaswani et al. (2017)::

    h   = norm_1(x + attention(x, x))
    out = norm_2(h + ffn_output(ffn_hidden(h)))        ffn_hidden: Dense(d_ff, relu)

Its attention is always run on ``MultiHeadAttention``'s explicit path (it asks for the
attention scores), not the fused ``dot_product_attention`` one: the two differ for a
query whose every key is masked (all-zero weights against uniform ones,
:mod:`attention_lib.mask_rules`), and the explicit one is what the numpy block computes.

TensorFlow is imported (through :mod:`attention_lib.tensorflow_env`) when a block is
first built, not on import.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_bool_array, as_float_array, check_int, check_positive_float
from .i18n import say
from .keras_check import DEFAULT_ATOL, CrossCheck
from .tensorflow_env import tensorflow
from .transformer import (
    LAYER_NORM_EPSILON,
    EncoderBlockWeights,
    encoder_block_steps,
    init_encoder_block_weights,
)


@functools.cache
def _encoder_block_class() -> type:
    """The Keras layer class, defined on first use (it needs TensorFlow's Keras)."""
    keras = tensorflow().keras
    layer: Any = keras.layers.Layer  # a base class known only at run time

    class EncoderBlock(layer):
        """A post-norm Transformer encoder block: (B, T, d_model) -> (B, T, d_model).

        ``call(x, attention_mask=None, return_attention_scores=False)``; the mask is
        (B, T, T) or (T, T), True = attend; with ``return_attention_scores`` the call
        returns (output, attention weights (B, N, T, T)).
        """

        def __init__(self, d_model: int, num_heads: int, key_dim: int, d_ff: int, *,
                     value_dim: int | None = None, use_bias: bool = True,
                     epsilon: float = LAYER_NORM_EPSILON, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.d_model, self.d_ff = d_model, d_ff
            self.attention = keras.layers.MultiHeadAttention(
                num_heads=num_heads, key_dim=key_dim, value_dim=value_dim,
                use_bias=use_bias, name="attention")
            self.norm_1 = keras.layers.LayerNormalization(epsilon=epsilon, name="norm_1")
            self.ffn_hidden = keras.layers.Dense(d_ff, activation="relu",
                                                 name="ffn_hidden")
            self.ffn_output = keras.layers.Dense(d_model, name="ffn_output")
            self.norm_2 = keras.layers.LayerNormalization(epsilon=epsilon, name="norm_2")

        def build(self, input_shape: Any) -> None:
            shape = tuple(input_shape)
            self.attention.build(shape, shape)
            self.norm_1.build(shape)
            self.ffn_hidden.build(shape)
            self.ffn_output.build((*shape[:-1], self.d_ff))
            self.norm_2.build(shape)
            super().build(input_shape)

        def call(self, x: Any, attention_mask: Any = None,
                 return_attention_scores: bool = False) -> Any:
            # Always the explicit path (scores asked for): see the module docstring.
            a, scores = self.attention(x, x, attention_mask=attention_mask,
                                       return_attention_scores=True)
            h = self.norm_1(x + a)
            out = self.norm_2(h + self.ffn_output(self.ffn_hidden(h)))
            return (out, scores) if return_attention_scores else out

        def compute_output_shape(self, input_shape: Any) -> Any:
            return input_shape

    return EncoderBlock


def _new_block(d_model: int, num_heads: int, key_dim: int, d_ff: int, *,
               value_dim: int | None = None, use_bias: bool = True,
               epsilon: float = LAYER_NORM_EPSILON) -> Any:
    block = _encoder_block_class()(d_model, num_heads, key_dim, d_ff, value_dim=value_dim,
                                   use_bias=use_bias, epsilon=epsilon)
    block.build((None, None, d_model))
    return block


def _check_block(block: Any) -> Any:
    if not isinstance(block, _encoder_block_class()):
        raise TypeError(f"block must be a Keras encoder block from keras_encoder_block; "
                        f"got {type(block).__name__}")
    return block


def keras_encoder_block(d_model: int, num_heads: int, key_dim: int, d_ff: int,
                        seed: int = 0, *, epsilon: float = LAYER_NORM_EPSILON) -> Any:
    """A built Keras encoder block, (B, T, d_model) -> (B, T, d_model), holding the
    weights :func:`attention_lib.transformer.init_encoder_block_weights` draws from
    ``np.random.default_rng(seed)``: the same numbers as the numpy block made with that
    seed, and no global random state touched.

    (Keras's own seeded initializers would not do: ``MultiHeadAttention`` clones its one
    kernel initializer for the query, key and value projections, so an integer seed
    gives the three the same kernel.)
    """
    d_model = check_int(d_model, "d_model", minimum=1)
    num_heads = check_int(num_heads, "num_heads", minimum=1)
    key_dim = check_int(key_dim, "key_dim", minimum=1)
    d_ff = check_int(d_ff, "d_ff", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    epsilon = check_positive_float(epsilon, "epsilon")
    weights = init_encoder_block_weights(np.random.default_rng(seed), d_model, num_heads,
                                         key_dim, d_ff)
    block = _new_block(d_model, num_heads, key_dim, d_ff, epsilon=epsilon)
    return set_encoder_block_weights(block, weights)


def keras_encoder_block_for(weights: EncoderBlockWeights, *,
                            epsilon: float = LAYER_NORM_EPSILON) -> Any:
    """A built Keras encoder block of the shapes ``weights`` has, holding them."""
    if not isinstance(weights, EncoderBlockWeights):
        raise TypeError(f"weights must be an EncoderBlockWeights; got "
                        f"{type(weights).__name__}")
    block = _new_block(weights.d_model, weights.num_heads, weights.key_dim, weights.d_ff,
                       value_dim=weights.value_dim, use_bias=weights.use_bias,
                       epsilon=check_positive_float(epsilon, "epsilon"))
    return set_encoder_block_weights(block, weights)


def encoder_block_weights_of(block: Any) -> EncoderBlockWeights:
    """Read a Keras encoder block's weights (float32 values, as float64 arrays)."""
    block = _check_block(block)

    def arrays(layer: Any) -> list[np.ndarray]:
        return [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]

    (g1, b1), (g2, b2) = arrays(block.norm_1), arrays(block.norm_2)
    (w1, c1), (w2, c2) = arrays(block.ffn_hidden), arrays(block.ffn_output)
    return EncoderBlockWeights(attention=arrays(block.attention), norm1_gamma=g1,
                               norm1_beta=b1, ffn_w1=w1, ffn_b1=c1, ffn_w2=w2, ffn_b2=c2,
                               norm2_gamma=g2, norm2_beta=b2)


def set_encoder_block_weights(block: Any, weights: EncoderBlockWeights) -> Any:
    """Load ``weights`` into a Keras encoder block (rounded to float32); return it.

    The shapes must be the block's: a mismatch is a ValueError naming both, raised
    before anything is loaded.
    """
    block = _check_block(block)
    if not isinstance(weights, EncoderBlockWeights):
        raise TypeError(f"weights must be an EncoderBlockWeights; got "
                        f"{type(weights).__name__}")
    current = encoder_block_weights_of(block)
    names = ([f"attention[{i}]" for i in range(len(current.attention))]
             + ["norm1_gamma", "norm1_beta", "ffn_w1", "ffn_b1", "ffn_w2", "ffn_b2",
                "norm2_gamma", "norm2_beta"])
    have, given = current.arrays(), weights.arrays()
    if len(have) != len(given):
        raise ValueError(f"weights has {len(weights.attention)} attention arrays but the "
                         f"block's MultiHeadAttention has {len(current.attention)} "
                         f"(use_bias differs)")
    for name, a, b in zip(names, have, given, strict=True):
        if a.shape != b.shape:
            raise ValueError(f"weights.{name} has shape {b.shape} but the block's has "
                             f"{a.shape} (block: d_model={current.d_model}, num_heads="
                             f"{current.num_heads}, key_dim={current.key_dim}, d_ff="
                             f"{current.d_ff})")

    def f32(*arrays: np.ndarray) -> list[np.ndarray]:
        return [a.astype(np.float32) for a in arrays]

    block.attention.set_weights(f32(*weights.attention))
    block.norm_1.set_weights(f32(weights.norm1_gamma, weights.norm1_beta))
    block.ffn_hidden.set_weights(f32(weights.ffn_w1, weights.ffn_b1))
    block.ffn_output.set_weights(f32(weights.ffn_w2, weights.ffn_b2))
    block.norm_2.set_weights(f32(weights.norm2_gamma, weights.norm2_beta))
    return block


def check_encoder_block(x: ArrayLike, weights: EncoderBlockWeights | None = None, *,
                        mask: ArrayLike | None = None, block: Any = None,
                        atol: float = DEFAULT_ATOL) -> CrossCheck:
    """Run the Keras encoder block and :func:`attention_lib.transformer.encoder_block` on
    the same tokens and compare the block outputs and the attention weights.

    ``weights`` are loaded into ``block`` (a new one of their shapes when None); with
    ``weights`` None the block keeps its own. Either way the numpy block runs on the
    weights read back from Keras (so rounded to float32, as Keras holds them), and on
    ``x`` rounded to float32, with the block's LayerNorm epsilon.
    Shapes: x (T, d_model) or (B, T, d_model); ``mask`` (T, T) or (B, T, T), True =
    attend. Returns a :class:`attention_lib.keras_check.CrossCheck`: ``max_diff`` is the
    largest |numpy - keras|, ``passed`` whether it is within ``atol``.
    """
    if weights is None and block is None:
        raise ValueError("give weights, a block, or both")
    if block is None:
        assert weights is not None
        # Our own checks first: a bad x or mask gets our message, not a Keras stack.
        encoder_block_steps(x, weights, mask=mask)
        block = keras_encoder_block_for(weights)
    else:
        block = _check_block(block)
        if weights is not None:
            set_encoder_block_weights(block, weights)
    epsilon = float(block.norm_1.epsilon)
    if float(block.norm_2.epsilon) != epsilon:
        raise ValueError(f"the block's two LayerNorms have different epsilons "
                         f"({epsilon} and {block.norm_2.epsilon}); the numpy block "
                         f"uses one")
    used = encoder_block_weights_of(block)
    x32 = as_float_array(x, "x", min_ndim=2).astype(np.float32)
    steps = encoder_block_steps(x32, used, mask=mask, epsilon=epsilon)
    np_out, np_w = steps["norm 2"], steps["weights"]
    batched = x32 if x32.ndim == 3 else x32[None]
    k_mask = None
    if mask is not None:
        m = as_bool_array(mask, "mask")
        k_mask = np.broadcast_to(m, (batched.shape[0], *m.shape[-2:]))
    k_out, k_w = block(batched, attention_mask=k_mask, return_attention_scores=True)
    layers = (f"MultiHeadAttention(num_heads={used.num_heads}, key_dim={used.key_dim}), "
              f"LayerNormalization(epsilon={epsilon:g}) x 2, Dense({used.d_ff}, relu), "
              f"Dense({used.d_model})")
    label = say(f"encoder block ({layers})", f"编码器块 ({layers})")
    return CrossCheck(layer=label, twin="attention_lib.transformer.encoder_block",
                      atol=check_positive_float(atol, "atol"), numpy_output=np_out,
                      numpy_weights=np_w,
                      keras_output=np.asarray(k_out, dtype=np.float64).reshape(np_out.shape),
                      keras_weights=np.asarray(k_w, dtype=np.float64).reshape(np_w.shape),
                      layer_weights=[a.astype(np.float32) for a in used.arrays()])
