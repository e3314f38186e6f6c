"""Tests of attention_lib.transformer (numpy only): the positional encoding against its
formula, layer_norm and feed_forward against plain loops, the encoder block against a
per-head reference written without the package's einsums, its steps, and permutation
equivariance (and positional encoding breaking it). The Keras agreement is in
tests/test_transformer_keras.py."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from attention_lib.masks import causal_mask
from attention_lib.multihead import multi_head_attention
from attention_lib.shapes import shape_table
from attention_lib.transformer import (
    STEP_NAMES,
    EncoderBlockWeights,
    add_positional_encoding,
    encoder_block,
    encoder_block_steps,
    feed_forward,
    init_encoder_block_weights,
    layer_norm,
    permutation_gap,
    permute_tokens,
    positional_encoding,
)


def noisy_weights(rng, d_model=8, num_heads=2, key_dim=4, d_ff=16):
    """Random weights with non-zero biases and betas and gammas away from 1, so that no
    bias or scale bug can hide behind Keras's zero and one initial values."""
    w = init_encoder_block_weights(rng, d_model, num_heads, key_dim, d_ff)
    return EncoderBlockWeights(
        attention=[a + 0.2 * rng.normal(size=a.shape) if i % 2 else a
                   for i, a in enumerate(w.attention)],
        norm1_gamma=rng.uniform(0.5, 1.5, d_model), norm1_beta=rng.normal(size=d_model),
        ffn_w1=w.ffn_w1, ffn_b1=0.2 * rng.normal(size=d_ff), ffn_w2=w.ffn_w2,
        ffn_b2=0.2 * rng.normal(size=d_model),
        norm2_gamma=rng.uniform(0.5, 1.5, d_model), norm2_beta=rng.normal(size=d_model))


# ---- positional encoding -----------------------------------------------------------------

def test_positional_encoding_is_the_papers_formula():
    length, d = 7, 6
    pe = positional_encoding(length, d)
    assert pe.shape == (length, d)
    for pos in range(length):
        for i in range(d // 2):
            angle = pos / 10000 ** (2 * i / d)
            assert pe[pos, 2 * i] == pytest.approx(math.sin(angle), abs=1e-12)
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle), abs=1e-12)


def test_positional_encoding_is_bounded_and_its_rows_are_distinct():
    pe = positional_encoding(100, 16)
    assert np.abs(pe).max() <= 1.0
    np.testing.assert_allclose(pe[0], np.tile([0.0, 1.0], 8))  # sin 0, cos 0
    # each (sin, cos) pair lies on the unit circle
    np.testing.assert_allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1.0)
    gaps = np.linalg.norm(pe[:, None, :] - pe[None, :, :], axis=-1)
    assert gaps[~np.eye(100, dtype=bool)].min() > 1e-2


def test_positional_encoding_base_changes_the_frequencies():
    assert not np.allclose(positional_encoding(5, 4, base=100.0), positional_encoding(5, 4))


@pytest.mark.parametrize("length, d_model, error, match", [
    (5, 7, ValueError, "d_model must be even"),
    (5, 0, ValueError, "d_model must be at least 2"),
    (5, -4, ValueError, "d_model must be at least 2"),
    (5, 4.0, TypeError, "d_model must be an integer"),
    (0, 4, ValueError, "length must be at least 1"),
    (True, 4, TypeError, "length must be an integer"),
])
def test_positional_encoding_rejects_bad_arguments(length, d_model, error, match):
    with pytest.raises(error, match=match):
        positional_encoding(length, d_model)


def test_add_positional_encoding_adds_one_row_per_token_to_each_sequence():
    x = np.random.default_rng(0).normal(size=(2, 5, 6))
    np.testing.assert_allclose(add_positional_encoding(x) - x,
                               np.broadcast_to(positional_encoding(5, 6), x.shape))
    with pytest.raises(ValueError, match="d_model must be even"):
        add_positional_encoding(np.ones((3, 5)))


# ---- layer norm and the feed-forward network ---------------------------------------------

def test_layer_norm_matches_a_loop_over_positions():
    rng = np.random.default_rng(1)
    x, g, b = rng.normal(size=(2, 3, 5)), rng.normal(size=5), rng.normal(size=5)
    out = layer_norm(x, g, b)
    for idx in np.ndindex(2, 3):
        row = x[idx]
        mu, var = sum(row) / 5, sum((v - row.mean()) ** 2 for v in row) / 5
        np.testing.assert_allclose(out[idx], (row - mu) / math.sqrt(var + 1e-3) * g + b)


def test_layer_norm_gives_mean_zero_and_variance_near_one():
    x = np.random.default_rng(2).normal(3.0, 5.0, size=(4, 10))
    out = layer_norm(x, np.ones(10), np.zeros(10), epsilon=1e-9)
    np.testing.assert_allclose(out.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), 1.0, atol=1e-6)


def test_layer_norm_epsilon_matters_when_the_variance_is_small():
    x = np.array([[0.0, 0.01, 0.02, 0.03]])  # variance 1.25e-4, well below 1e-3
    one, zero = np.ones(4), np.zeros(4)
    assert np.abs(layer_norm(x, one, zero) - layer_norm(x, one, zero, 1e-5)).max() > 0.5


def test_layer_norm_rejects_bad_arguments():
    x = np.ones((2, 4))
    with pytest.raises(ValueError, match=r"gamma has shape \(3,\), expected \(4,\)"):
        layer_norm(x, np.ones(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"beta has shape \(4, 1\), expected \(4,\)"):
        layer_norm(x, np.ones(4), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="epsilon must be greater than 0"):
        layer_norm(x, np.ones(4), np.zeros(4), epsilon=0.0)
    with pytest.raises(ValueError, match="x contains NaN"):
        layer_norm([[np.nan, 1.0]], np.ones(2), np.zeros(2))


def test_feed_forward_matches_a_loop_and_applies_relu():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 4))
    w1, b1, w2, b2 = (rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=(6, 5)),
                      rng.normal(size=5))
    out = feed_forward(x, w1, b1, w2, b2)
    assert out.shape == (2, 3, 5)
    for idx in np.ndindex(2, 3):
        hidden = [max(0.0, float(x[idx] @ w1[:, j] + b1[j])) for j in range(6)]
        np.testing.assert_allclose(out[idx], np.array(hidden) @ w2 + b2)
    assert (x @ w1 + b1 < 0).any()  # the relu had something to cut


@pytest.mark.parametrize("shapes, match", [
    (((5, 6), (6,), (6, 4), (4,)), r"w1 has shape \(5, 6\), expected \(4, d_ff\)"),
    (((4, 6), (5,), (6, 4), (4,)), r"b1 has shape \(5,\), expected \(6,\)"),
    (((4, 6), (6,), (5, 4), (4,)), r"w2 has shape \(5, 4\), expected \(6, d_out\)"),
    (((4, 6), (6,), (6, 4), (3,)), r"b2 has shape \(3,\), expected \(4,\)"),
])
def test_feed_forward_names_the_bad_shape(shapes, match):
    with pytest.raises(ValueError, match=match):
        feed_forward(np.ones((3, 4)), *(np.ones(s) for s in shapes))


# ---- the encoder block -------------------------------------------------------------------

def reference_block(x, w, allowed=None, epsilon=1e-3):
    """One sequence (T, d), heads in a loop, plain matrix products: no einsum and none of
    the package's attention code."""
    qk, qb, kk, kb, vk, vb, ok, ob = w.attention
    t = x.shape[0]
    allowed = np.ones((t, t), bool) if allowed is None else allowed
    attn = np.tile(ob, (t, 1))
    for h in range(qk.shape[1]):
        q, k, v = x @ qk[:, h] + qb[h], x @ kk[:, h] + kb[h], x @ vk[:, h] + vb[h]
        s = q @ k.T / math.sqrt(qk.shape[2])
        e = np.where(allowed, np.exp(s - s.max(axis=1, keepdims=True)), 0.0)
        sums = e.sum(axis=1, keepdims=True)
        p = np.divide(e, sums, out=np.zeros_like(e), where=sums > 0)
        attn = attn + (p @ v) @ ok[h]

    def norm(z, g, b):
        mu = z.mean(axis=1, keepdims=True)
        return (z - mu) / np.sqrt(((z - mu) ** 2).mean(axis=1, keepdims=True) + epsilon) * g + b

    h1 = norm(x + attn, w.norm1_gamma, w.norm1_beta)
    ffn = np.maximum(h1 @ w.ffn_w1 + w.ffn_b1, 0) @ w.ffn_w2 + w.ffn_b2
    return norm(h1 + ffn, w.norm2_gamma, w.norm2_beta)


@pytest.mark.parametrize("heads, key_dim", [(1, 8), (2, 4), (4, 3)])
@pytest.mark.parametrize("masked", [False, True])
def test_encoder_block_matches_the_reference(heads, key_dim, masked):
    rng = np.random.default_rng(heads)
    w = noisy_weights(rng, num_heads=heads, key_dim=key_dim)
    x = rng.normal(size=(3, 5, 8))
    mask = rng.random((3, 5, 5)) < 0.6 if masked else None
    if masked:
        mask[0, 2] = False  # a query with no key left: all-zero weights
    out = encoder_block(x, w, mask=mask)
    assert out.shape == x.shape
    for b in range(3):
        ref = reference_block(x[b], w, None if mask is None else mask[b])
        np.testing.assert_allclose(out[b], ref, atol=1e-12)
        np.testing.assert_allclose(encoder_block(x[b], w, mask=None if mask is None
                                                 else mask[b]), ref, atol=1e-12)


def test_a_2d_mask_applies_to_every_sequence_of_a_batch():
    rng = np.random.default_rng(4)
    w, x = noisy_weights(rng), rng.normal(size=(2, 4, 8))
    causal = causal_mask(4)
    np.testing.assert_allclose(encoder_block(x, w, mask=causal),
                               encoder_block(x, w, mask=np.stack([causal, causal])))
    assert np.abs(encoder_block(x, w, mask=causal) - encoder_block(x, w)).max() > 1e-3


def test_the_steps_are_named_in_order_with_the_shapes_of_every_stage():
    rng = np.random.default_rng(5)
    w = noisy_weights(rng, d_model=8, num_heads=2, key_dim=3, d_ff=12)
    x = rng.normal(size=(2, 5, 8))
    out, steps = encoder_block(x, w, return_steps=True)
    assert tuple(steps) == STEP_NAMES
    assert {n: a.shape for n, a in steps.items()} == {
        "input": (2, 5, 8), "query heads": (2, 5, 2, 3), "key heads": (2, 5, 2, 3),
        "value heads": (2, 5, 2, 3), "scores": (2, 2, 5, 5), "weights": (2, 2, 5, 5),
        "heads concatenated": (2, 5, 6), "attention output": (2, 5, 8),
        "residual 1": (2, 5, 8), "norm 1": (2, 5, 8), "ffn hidden": (2, 5, 12),
        "ffn output": (2, 5, 8), "residual 2": (2, 5, 8), "norm 2": (2, 5, 8)}
    np.testing.assert_array_equal(out, steps["norm 2"])
    np.testing.assert_allclose(steps["residual 1"], x + steps["attention output"])
    np.testing.assert_allclose(steps["residual 2"], steps["norm 1"] + steps["ffn output"])
    # the concatenated heads, times the output kernel laid flat, are the attention output
    ok, ob = w.attention[6], w.attention[7]
    np.testing.assert_allclose(steps["heads concatenated"] @ ok.reshape(6, 8) + ob,
                               steps["attention output"], atol=1e-12)
    np.testing.assert_allclose(steps["weights"].sum(axis=-1), 1.0)
    assert (steps["ffn hidden"] >= 0).all()
    unbatched = encoder_block_steps(x[1], w)
    assert all(unbatched[n].shape == steps[n].shape[1:] for n in STEP_NAMES)
    assert shape_table(steps).splitlines()[1].startswith("query heads")


def test_encoder_block_rejects_bad_input():
    w = init_encoder_block_weights(np.random.default_rng(0), 8, 2, 4, 16)
    with pytest.raises(ValueError, match=r"x has 6 features but the weights are for "
                                         r"d_model = 8"):
        encoder_block(np.ones((5, 6)), w)
    with pytest.raises(ValueError, match=r"x must be 2-D \(T, d\) or 3-D"):
        encoder_block(np.ones((1, 2, 5, 8)), w)
    with pytest.raises(ValueError, match=r"x must have at least 2 dimensions"):
        encoder_block(np.ones(8), w)
    with pytest.raises(ValueError, match=r"attention_mask has shape \(4, 4\), expected "
                                         r"\(5, 5\)"):
        encoder_block(np.ones((5, 8)), w, mask=np.ones((4, 4), bool))
    with pytest.raises(ValueError, match=r"mask has shape \(2, 5, 5\), expected \(5, 5\)"):
        encoder_block(np.ones((5, 8)), w, mask=np.ones((2, 5, 5), bool))
    with pytest.raises(TypeError, match="attention_mask must be a boolean array"):
        encoder_block(np.ones((5, 8)), w, mask=np.full((5, 5), 0.5))
    with pytest.raises(TypeError, match="weights must be an EncoderBlockWeights"):
        encoder_block(np.ones((5, 8)), w.arrays())
    with pytest.raises(TypeError, match="return_steps must be True or False"):
        encoder_block(np.ones((5, 8)), w, return_steps="yes")


def test_encoder_block_weights_check_their_shapes():
    w = init_encoder_block_weights(np.random.default_rng(0), 8, 2, 4, 16)
    assert (w.d_model, w.num_heads, w.key_dim, w.value_dim, w.d_ff, w.use_bias) == (
        8, 2, 4, 4, 16, True)
    assert len(w.arrays()) == 16 and all(a.dtype == np.float64 for a in w.arrays())
    with pytest.raises(ValueError, match=r"weights.norm2_beta has shape \(7,\), expected "
                                         r"\(8,\)"):
        dataclasses.replace(w, norm2_beta=np.zeros(7))
    with pytest.raises(ValueError, match=r"weights.ffn_w2 has shape \(16, 6\), expected "
                                         r"\(16, 8\)"):
        dataclasses.replace(w, ffn_w2=np.zeros((16, 6)), ffn_b2=np.zeros(6))
    with pytest.raises(ValueError, match=r"weights.ffn_b1 has shape \(15,\)"):
        dataclasses.replace(w, ffn_b1=np.zeros(15))
    bad_out = [*w.attention[:6], np.zeros((2, 4, 6)), np.zeros(6)]
    with pytest.raises(ValueError, match="output_kernel has shape .*the residual"):
        dataclasses.replace(w, attention=bad_out)
    with pytest.raises(ValueError, match="weights must hold 8 arrays"):
        dataclasses.replace(w, attention=w.attention[:5])
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        init_encoder_block_weights(0, 8, 2, 4, 16)
    with pytest.raises(ValueError, match="d_ff must be at least 1"):
        init_encoder_block_weights(np.random.default_rng(0), 8, 2, 4, 0)


def test_init_draws_keras_like_weights_repeatably():
    a = init_encoder_block_weights(np.random.default_rng(7), 6, 3, 2, 10)
    b = init_encoder_block_weights(np.random.default_rng(7), 6, 3, 2, 10)
    assert all(np.array_equal(u, v) for u, v in zip(a.arrays(), b.arrays(), strict=True))
    np.testing.assert_array_equal(a.norm1_gamma, 1.0)
    np.testing.assert_array_equal(a.ffn_b1, 0.0)
    assert np.abs(a.ffn_w1).max() <= math.sqrt(6 / (6 + 10))


# ---- order: permutation equivariance -----------------------------------------------------

ORDER = [3, 0, 4, 1, 2]


def test_permute_tokens_reorders_the_token_axis():
    x = np.arange(2 * 5 * 3, dtype=float).reshape(2, 5, 3)
    shuffled = permute_tokens(x, ORDER)
    for t, src in enumerate(ORDER):
        np.testing.assert_array_equal(shuffled[:, t], x[:, src])
    np.testing.assert_array_equal(permute_tokens(shuffled, np.argsort(ORDER)), x)


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [0, 1, 2, 3, 3], [0, 1, 2, 3, 5]])
def test_permute_tokens_wants_a_permutation(order):
    with pytest.raises(ValueError, match=r"order must be a permutation of 0 .. 4"):
        permute_tokens(np.ones((5, 2)), order)


def test_permute_tokens_wants_integer_positions():
    with pytest.raises(TypeError, match="order must hold integer"):
        permute_tokens(np.ones((5, 2)), [0.0, 1.0, 2.0, 3.0, 4.0])


def test_self_attention_and_the_block_are_permutation_equivariant():
    rng = np.random.default_rng(8)
    w, x = noisy_weights(rng), rng.normal(size=(2, 5, 8))
    attention = lambda z: multi_head_attention(z, z, weights=w.attention)[0]  # noqa: E731
    assert permutation_gap(attention, x, ORDER) < 1e-12
    assert permutation_gap(lambda z: encoder_block(z, w), x, ORDER) < 1e-12
    assert permutation_gap(lambda z: encoder_block(z, w), x[0], ORDER) < 1e-12
    # the outputs themselves do move: a shuffle is not a no-op
    assert np.abs(encoder_block(permute_tokens(x, ORDER), w) - encoder_block(x, w)).max() > 1e-2


def test_positional_encoding_breaks_the_equivariance():
    rng = np.random.default_rng(9)
    w, x = noisy_weights(rng), rng.normal(size=(2, 5, 8))
    with_positions = lambda z: encoder_block(add_positional_encoding(z), w)  # noqa: E731
    assert permutation_gap(with_positions, x, ORDER) > 1e-3
    attention = lambda z: multi_head_attention(  # noqa: E731
        add_positional_encoding(z), add_positional_encoding(z), weights=w.attention)[0]
    assert permutation_gap(attention, x, ORDER) > 1e-3
    # and so does a causal mask: the mask is tied to positions, not to tokens
    assert permutation_gap(lambda z: encoder_block(z, w, mask=causal_mask(5)), x, ORDER) > 1e-3


def test_permutation_gap_rejects_bad_arguments():
    with pytest.raises(TypeError, match="fn must be a function"):
        permutation_gap(np.ones((5, 2)), np.ones((5, 2)), ORDER)
    with pytest.raises(ValueError, match="fn gave shape"):
        permutation_gap(lambda z: z if z[0, 0] == 0 else z[:, :1], np.eye(5), ORDER)
