"""attention_lib.transformer against Keras: layer_norm against LayerNormalization (its
epsilon), the numpy encoder block against the Keras one built from MultiHeadAttention,
LayerNormalization and Dense (batched and unbatched, masked or not, 1 to 4 heads), the
weights loaded and read back both ways, and the check failing when the numbers differ."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from attention_lib.masks import causal_mask
from attention_lib.multihead import multi_head_attention
from attention_lib.transformer import (
    EncoderBlockWeights,
    encoder_block,
    feed_forward,
    init_encoder_block_weights,
    layer_norm,
)

# transformer_keras imports TensorFlow only when a block is built, so skip on TensorFlow.
pytest.importorskip("tensorflow")
from attention_lib import tensorflow_env  # noqa: E402
from attention_lib import transformer_keras as tk  # noqa: E402

TOL = 1e-5


def noisy_weights(rng, d_model=8, num_heads=2, key_dim=4, d_ff=16):
    """Random weights with non-zero biases and betas and gammas away from 1 (as in
    tests/test_transformer.py), so no bias or scale slip hides behind Keras's 0s and 1s."""
    w = init_encoder_block_weights(rng, d_model, num_heads, key_dim, d_ff)
    return EncoderBlockWeights(
        attention=[a + 0.2 * rng.normal(size=a.shape) if i % 2 else a
                   for i, a in enumerate(w.attention)],
        norm1_gamma=rng.uniform(0.5, 1.5, d_model), norm1_beta=rng.normal(size=d_model),
        ffn_w1=w.ffn_w1, ffn_b1=0.2 * rng.normal(size=d_ff), ffn_w2=w.ffn_w2,
        ffn_b2=0.2 * rng.normal(size=d_model),
        norm2_gamma=rng.uniform(0.5, 1.5, d_model), norm2_beta=rng.normal(size=d_model))


@pytest.fixture(scope="module")
def tf():
    return tensorflow_env.tensorflow()


# ---- layer norm --------------------------------------------------------------------------

def test_layer_norm_matches_keras_layer_normalization(tf):
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(2, 3, 6)).astype(np.float32)
    layer = tf.keras.layers.LayerNormalization()
    layer.build(x.shape)
    assert layer.epsilon == 1e-3  # Keras 3's default, and layer_norm's
    g, b = rng.uniform(0.5, 1.5, 6), rng.normal(size=6)
    layer.set_weights([g.astype(np.float32), b.astype(np.float32)])
    keras_out = np.asarray(layer(x))
    assert np.abs(layer_norm(x, g, b) - keras_out).max() < TOL


def test_layer_norm_epsilon_must_match_keras_on_small_variance(tf):
    x = np.array([[0.0, 0.01, 0.02, 0.03]], dtype=np.float32)  # variance 1.25e-4
    one, zero = np.ones(4), np.zeros(4)
    keras_out = np.asarray(tf.keras.layers.LayerNormalization()(x))
    assert np.abs(layer_norm(x, one, zero) - keras_out).max() < TOL
    assert np.abs(layer_norm(x, one, zero, epsilon=1e-5) - keras_out).max() > 0.5
    pytorch_like = np.asarray(tf.keras.layers.LayerNormalization(epsilon=1e-5)(x))
    assert np.abs(layer_norm(x, one, zero, epsilon=1e-5) - pytorch_like).max() < TOL


def test_feed_forward_matches_two_dense_layers(tf):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 6)).astype(np.float32)
    hidden = tf.keras.layers.Dense(10, activation="relu")
    out = tf.keras.layers.Dense(6)
    keras_out = np.asarray(out(hidden(x)))
    (w1, b1), (w2, b2) = hidden.get_weights(), out.get_weights()
    b1, b2 = b1 + rng.normal(size=10).astype(np.float32), b2 + 0.5
    hidden.set_weights([w1, b1])
    out.set_weights([w2, b2])
    keras_out = np.asarray(out(hidden(x)))
    assert np.abs(feed_forward(x, w1, b1, w2, b2) - keras_out).max() < TOL


# ---- the encoder block -------------------------------------------------------------------

def _mask(kind, batch, t, rng):
    if kind is None:
        return None
    if kind == "causal":
        return causal_mask(t)
    mask = rng.random((batch, t, t)) < 0.6
    mask[0, 1] = False  # a query with no key left: all-zero weights on both sides
    return mask if batch > 1 else mask[0]


@pytest.mark.parametrize("shape, heads, key_dim, mask", [
    ((5, 8), 1, 8, None),
    ((5, 8), 2, 4, "causal"),
    ((5, 8), 4, 3, "random"),
    ((3, 6, 8), 2, 4, None),
    ((3, 6, 8), 4, 2, "causal"),
    ((3, 6, 8), 1, 5, "random"),
])
def test_numpy_block_agrees_with_keras(shape, heads, key_dim, mask):
    rng = np.random.default_rng(heads * 10 + key_dim)
    w = noisy_weights(rng, d_model=8, num_heads=heads, key_dim=key_dim, d_ff=12)
    x = rng.normal(size=shape)
    report = tk.check_encoder_block(x, w, mask=_mask(mask, 1 if len(shape) == 2
                                                     else shape[0], shape[-2], rng))
    assert report.passed, str(report)
    assert report.max_diff < TOL and report.max_diff > 0  # float32 against float64
    assert report.numpy_output.shape == shape
    assert report.numpy_weights.shape == (*shape[:-2], heads, shape[-2], shape[-2])
    assert str(report).endswith("PASS")


def test_the_check_fails_when_the_twin_computes_something_else(tf):
    """A pre-norm block, LayerNorm before each sublayer, is another function: checked
    against the post-norm Keras block it fails, so the agreement above means something."""
    rng = np.random.default_rng(2)
    w = noisy_weights(rng)
    x = rng.normal(size=(2, 5, 8))
    report = tk.check_encoder_block(x, w)
    n1 = layer_norm(x, w.norm1_gamma, w.norm1_beta)
    h = x + multi_head_attention(n1, n1, weights=w.attention)[0]
    pre_norm = h + feed_forward(layer_norm(h, w.norm2_gamma, w.norm2_beta), w.ffn_w1,
                                w.ffn_b1, w.ffn_w2, w.ffn_b2)
    other = dataclasses.replace(report, numpy_output=pre_norm)
    assert not other.passed and "FAIL" in str(other)
    with pytest.raises(AssertionError, match="disagree"):
        other.assert_ok()
    strict = tk.check_encoder_block(x, w, atol=1e-12)
    assert not strict.passed  # float32 is not exact


def test_keras_block_is_seeded_like_the_numpy_init(tf):
    block = tk.keras_encoder_block(8, 2, 4, 16, seed=3)
    drawn = init_encoder_block_weights(np.random.default_rng(3), 8, 2, 4, 16)
    read = tk.encoder_block_weights_of(block)
    for a, b in zip(read.arrays(), drawn.arrays(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-7)
    # block.get_weights() is in the same order as EncoderBlockWeights.arrays()
    assert [w.shape for w in block.get_weights()] == [a.shape for a in read.arrays()]
    # the query, key and value kernels are drawn separately (not one seeded initializer)
    assert not np.allclose(read.attention[0], read.attention[2])
    other = tk.encoder_block_weights_of(tk.keras_encoder_block(8, 2, 4, 16, seed=4))
    assert not np.allclose(other.ffn_w1, read.ffn_w1)
    assert tk.check_encoder_block(np.ones((3, 8)), block=block).passed


def test_weights_round_trip_and_the_block_runs_on_them(tf):
    rng = np.random.default_rng(5)
    w = noisy_weights(rng, d_model=6, num_heads=3, key_dim=2, d_ff=7)
    block = tk.set_encoder_block_weights(tk.keras_encoder_block(6, 3, 2, 7), w)
    back = tk.encoder_block_weights_of(block)
    assert isinstance(back, EncoderBlockWeights)
    for a, b in zip(back.arrays(), w.arrays(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    x = rng.normal(size=(2, 4, 6)).astype(np.float32)
    assert np.abs(np.asarray(block(x)) - encoder_block(x, back)).max() < TOL


def test_keras_fused_attention_would_differ_on_a_fully_masked_query(tf):
    """Why the Keras block asks MultiHeadAttention for its scores: without them Keras
    takes the fused path, where a query with no key left gets uniform weights, not the
    all-zero weights the numpy block (and Keras's explicit path) give it."""
    rng = np.random.default_rng(6)
    w = noisy_weights(rng)
    block = tk.keras_encoder_block(8, 2, 4, 16)
    tk.set_encoder_block_weights(block, w)
    x = rng.normal(size=(1, 4, 8)).astype(np.float32)
    mask = np.ones((1, 4, 4), bool)
    mask[0, 2] = False
    explicit = np.asarray(block(x, attention_mask=mask))
    fused = np.asarray(block.attention(x, x, attention_mask=mask))
    scored, _ = block.attention(x, x, attention_mask=mask, return_attention_scores=True)
    assert np.abs(fused - np.asarray(scored))[0, 2].max() > 1e-3
    assert np.abs(explicit - encoder_block(x, tk.encoder_block_weights_of(block),
                                           mask=mask)).max() < TOL


def test_bad_input_gets_our_error_not_a_keras_stack(tf):
    w = init_encoder_block_weights(np.random.default_rng(0), 8, 2, 4, 16)
    block = tk.keras_encoder_block(8, 2, 4, 16)
    with pytest.raises(ValueError, match="x has 6 features but the weights are for"):
        tk.check_encoder_block(np.ones((5, 6)), w)
    with pytest.raises(ValueError, match="x has 6 features but the weights are for"):
        tk.check_encoder_block(np.ones((5, 6)), block=block)
    with pytest.raises(ValueError, match=r"attention_mask has shape \(4, 4\), expected"):
        tk.check_encoder_block(np.ones((2, 5, 8)), w, mask=np.ones((4, 4), bool))
    with pytest.raises(ValueError, match="give weights, a block, or both"):
        tk.check_encoder_block(np.ones((5, 8)))
    with pytest.raises(TypeError, match="block must be a Keras encoder block"):
        tk.check_encoder_block(np.ones((5, 8)), block=tf.keras.layers.Dense(8))
    small = init_encoder_block_weights(np.random.default_rng(0), 8, 2, 4, 12)
    with pytest.raises(ValueError, match=r"weights.ffn_w1 has shape \(8, 12\) but the "
                                         r"block's has \(8, 16\)"):
        tk.set_encoder_block_weights(block, small)
    with pytest.raises(TypeError, match="weights must be an EncoderBlockWeights"):
        tk.set_encoder_block_weights(block, w.arrays())
    with pytest.raises(ValueError, match="seed must be at least 0"):
        tk.keras_encoder_block(8, 2, 4, 16, seed=-1)
    with pytest.raises(ValueError, match="d_ff must be at least 1"):
        tk.keras_encoder_block(8, 2, 4, 0)
