"""Tests of attention_lib.mask_rules: masked softmax rules, Keras's float32 arithmetic,
padded self-attention."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from attention_lib import attention, causal_mask
from attention_lib.mask_rules import (
    LAYER_RULES,
    keras_float32_masked_softmax,
    masked_softmax,
    padded_self_attention,
)

FUSED, EXPLICIT = "MultiHeadAttention, fused path", "MultiHeadAttention, explicit path"


@settings(max_examples=100)
@given(scores=hnp.arrays(np.float64, (3, 4), elements=st.floats(-30, 30)),
       allowed=hnp.arrays(bool, (3, 4)), rule=st.sampled_from(["uniform", "zeros"]))
def test_masked_keys_get_zero_and_rows_follow_the_rule(scores, allowed, rule):
    w = masked_softmax(scores, allowed, fully_masked=rule)
    full = ~allowed.any(axis=-1)
    assert np.all(w[~allowed & ~full[:, None]] == 0.0)
    np.testing.assert_allclose(w[~full].sum(axis=-1), 1.0)
    np.testing.assert_allclose(w[full], 0.25 if rule == "uniform" else 0.0)
    if rule == "uniform":  # Keras's float32 arithmetic gives the same while |score| < 32
        np.testing.assert_allclose(
            w, keras_float32_masked_softmax(scores, allowed), atol=1e-6)


def test_float32_rounding_breaks_uniform_rows_for_big_scores():
    nothing = np.zeros(4, bool)
    np.testing.assert_allclose(keras_float32_masked_softmax([1.0, -20, 31, 0], nothing), 0.25)
    w = keras_float32_masked_softmax([0.0, 0, 0, 40], nothing)
    assert w[3] > 0.99
    np.testing.assert_allclose(masked_softmax([0.0, 0, 0, 40], nothing), 0.25)


def test_additive_equals_boolean_for_partly_masked_rows():
    rng = np.random.default_rng(0)
    s = rng.normal(size=(5, 5)) * 4
    allowed = causal_mask(5)
    e = np.exp(s - 1e9 * ~allowed - (s - 1e9 * ~allowed).max(axis=-1, keepdims=True))
    np.testing.assert_allclose(masked_softmax(s, allowed), e / e.sum(-1, keepdims=True),
                               atol=1e-12)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(scores=[[1.0, 2.0]], allowed=[[1.0, 0.0]]), TypeError, "allowed must be a boolean"),
    (dict(scores=[[1.0, 2.0]], allowed=[[2, 0]]), TypeError, "or 0/1 integers"),
    (dict(scores=[[1.0, 2.0]], allowed=[[True, False, True]]), ValueError,
     "does not broadcast"),
    (dict(scores=[[np.nan, 2.0]], allowed=[[True, True]]), ValueError, "scores contains NaN"),
    (dict(scores=[[1.0]], allowed=[[True]], fully_masked="nan"), ValueError,
     "fully_masked must be one of"),
])
def test_masked_softmax_rejects(kwargs, error, words):
    with pytest.raises(error, match=words):
        masked_softmax(**kwargs)


def test_padded_self_attention_uniform_is_keras_attention():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3))
    res = padded_self_attention(x, padding=2)
    real = np.array([1, 1, 1, 1, 0, 0], bool)
    np.testing.assert_array_equal(res["real"], real)
    np.testing.assert_allclose(res["weights"], attention(x, x, value_mask=real,
                                                         use_causal_mask=True)[1])
    np.testing.assert_array_equal(res["allowed"], causal_mask(6) & real)
    assert not res["fully_masked"].any()


def test_layer_rules_name_both_multihead_paths():
    assert LAYER_RULES == {"Attention": ("uniform", False), FUSED: ("uniform", True),
                           EXPLICIT: ("zeros", True)}


def test_padded_self_attention_explicit_path_zeros_padded_queries():
    x = np.random.default_rng(2).normal(size=(4, 3))
    res = padded_self_attention(x, padding=1, use_causal_mask=False, layer=EXPLICIT)
    np.testing.assert_array_equal(res["fully_masked"], [False, False, False, True])
    assert np.all(res["weights"][3] == 0) and np.all(res["weights"][:, 3] == 0)
    np.testing.assert_allclose(res["weights"][:3].sum(axis=-1), 1.0)


def test_padded_self_attention_fused_path_spreads_padded_queries_over_every_key():
    x = np.random.default_rng(2).normal(size=(4, 3))
    fused = padded_self_attention(x, padding=1, use_causal_mask=False, layer=FUSED)
    explicit = padded_self_attention(x, padding=1, use_causal_mask=False, layer=EXPLICIT)
    np.testing.assert_array_equal(fused["fully_masked"], explicit["fully_masked"])
    np.testing.assert_allclose(fused["weights"][3], 0.25)    # the padded key too
    np.testing.assert_allclose(fused["weights"][:3], explicit["weights"][:3])


@pytest.mark.parametrize("padding", [0, 1, 3])
@pytest.mark.parametrize("layer", list(LAYER_RULES))
def test_padded_self_attention_never_nan(padding, layer):
    x = np.random.default_rng(3).normal(size=(3, 2)) * 5
    res = padded_self_attention(x, padding=padding, layer=layer)
    assert np.isfinite(res["weights"]).all()
    if padding == 3:
        assert res["fully_masked"].all()
        np.testing.assert_allclose(res["weights"], 0.0 if layer == EXPLICIT else 1 / 3)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(sequence=np.ones(3)), ValueError, "sequence must have at least 2"),
    (dict(sequence=np.ones((2, 2, 2))), ValueError, "sequence must be 2-D"),
    (dict(padding=4), ValueError, "padding must lie between 0 and the sequence length 3"),
    (dict(padding=-1), ValueError, "padding must lie"),
    (dict(padding=1.0), TypeError, "padding must be an integer"),
    (dict(use_causal_mask="yes"), TypeError, "use_causal_mask must be True or False"),
    (dict(layer="MultiHeadAttention"), ValueError, "layer must be one of 'Attention'"),
])
def test_padded_self_attention_rejects(kwargs, error, words):
    args = {"sequence": np.ones((3, 2))} | kwargs
    with pytest.raises(error, match=words):
        padded_self_attention(**args)


def test_the_multihead_rules_are_keras_paths():
    """Keras 3.15's MultiHeadAttention, on a fully masked row: its normal call (the fused
    dot_product_attention) follows the "uniform" rule, the call that returns scores (the
    explicit Softmax path) the "zeros" rule; a layer with dropout takes the explicit path
    in inference too."""
    from attention_lib import keras_check, multihead

    tf = keras_check.tensorflow()
    tf.keras.utils.set_random_seed(3)
    x = np.random.default_rng(4).normal(size=(1, 3, 4)).astype(np.float32)
    allowed = np.array([[[True, True, False], [False, False, False], [True, True, True]]])
    for dropout in (0.0, 0.2):
        mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=dropout)
        explicit, _ = mha(x, x, attention_mask=allowed, return_attention_scores=True)
        normal = mha(x, x, attention_mask=allowed, training=False)
        w = mha.get_weights()
        steps = multihead.multi_head_steps(x, x, weights=w, attention_mask=allowed)
        for layer, out in ((EXPLICIT, explicit), (FUSED if dropout == 0 else EXPLICIT, normal)):
            weights = masked_softmax(steps["scores"], allowed[:, None],
                                     fully_masked=LAYER_RULES[layer][0])
            context = np.einsum("bnts,bsnh->btnh", weights, steps["value heads"])
            twin = np.einsum("btnh,nho->bto", context, w[6]) + w[7]
            np.testing.assert_allclose(np.asarray(out), twin, atol=1e-5)
        # The explicit path leaves a fully masked row only the output bias.
        np.testing.assert_allclose(np.asarray(explicit)[0, 1], w[7], atol=1e-6)
        assert np.allclose(np.asarray(normal)[0, 1], w[7], atol=1e-6) == (dropout > 0)
