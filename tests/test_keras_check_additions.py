"""Tests of the functions appended to attention_lib.keras_check for notebook 06:
check_attention_dropout and cross_check_table (notebook 06), and keras_attention (the
explorer's Keras panel)."""

import numpy as np
import pytest

from attention_lib import attention

# keras_check imports TensorFlow only when a check runs, so skip on TensorFlow itself.
pytest.importorskip("tensorflow")
from attention_lib import keras_check as kc  # noqa: E402

RNG = np.random.default_rng(0)
Q, V = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4))


def test_dropout_check_passes_and_drops_about_rate():
    kc.tensorflow().keras.utils.set_random_seed(0)
    check = kc.check_attention_dropout(Q, V, rate=0.5, seed=3)
    assert check.passed, str(check)
    assert "dropout=0.5), training=True" in check.layer
    kept = check.keras_weights != 0
    assert 0 < kept.mean() < 1
    np.testing.assert_allclose(check.numpy_weights[~kept], 0.0)


def test_dropout_check_fails_when_numbers_drift():
    check = kc.check_attention_dropout(Q, V, rate=0.3, seed=1)
    check.numpy_output = check.numpy_output + 1e-3
    assert not check.passed


def test_dropout_check_with_masks_and_a_built_layer():
    tf = kc.tensorflow()
    layer = tf.keras.layers.Attention(use_scale=True, score_mode="concat", dropout=0.2, seed=5)
    check = kc.check_attention_dropout(Q, V, layer=layer, value_mask=RNG.random((2, 5)) < 0.6,
                                       query_mask=np.array([[True, False, True]] * 2),
                                       use_causal_mask=True)
    assert check.passed and len(check.layer_weights) == 2
    assert np.all(check.keras_output[:, 1] == 0.0)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(), ValueError, "rate is needed"),
    (dict(rate=1.0), ValueError, r"rate must lie in \[0, 1\)"),
    (dict(rate=0.5, score_mode="cosine"), ValueError, "score_mode"),
])
def test_dropout_check_rejects(kwargs, error, words):
    with pytest.raises(error, match=words):
        kc.check_attention_dropout(Q, V, **kwargs)


def test_dropout_check_rejects_bad_input_before_keras():
    with pytest.raises(ValueError, match="key has 3 features but query has 4"):
        kc.check_attention_dropout(Q, V, np.ones((2, 5, 3)), rate=0.5)


def test_cross_check_table():
    good = kc.check_attention(Q, V)
    bad = kc.check_attention(Q, V)
    bad.numpy_weights = bad.numpy_weights + 1e-3
    lines = kc.cross_check_table([("plain", good), ("drifted", bad)]).splitlines()
    assert lines[0].split() == ["option", "output", "weights", "verdict"]
    assert lines[1].split() == ["plain", "within", "1e-05", "within", "1e-05", "PASS"]
    # A failure shows the figure; a pass says only "within" (its digits vary by CPU).
    assert lines[2].split() == ["drifted", "within", "1e-05", "1.0e-03", ">", "1e-05", "FAIL"]


@pytest.mark.parametrize("rows, error, words", [
    ([], ValueError, "rows is empty"),
    ("abc", TypeError, "rows must be a list"),
    ([("a", 1.0)], TypeError, r"rows\[0\] must be a \(label, CrossCheck\) pair"),
])
def test_cross_check_table_rejects(rows, error, words):
    with pytest.raises(error, match=words):
        kc.cross_check_table(rows)


@pytest.mark.parametrize("batched, causal, key", [(False, False, True), (True, True, False),
                                                  (True, False, True)])
def test_keras_attention_is_check_attentions_keras_half(batched, causal, key):
    rng = np.random.default_rng(7)
    lead = (2,) if batched else ()
    q, v, k = (rng.normal(size=(*lead, 3, 4)) for _ in range(3))
    k = k if key else None
    layer = kc.tensorflow().keras.layers.Attention(use_scale=True)
    out, w = kc.keras_attention(q, v, k, layer=layer, scale=0.7,
                                         use_causal_mask=causal)
    full = kc.check_attention(q, v, k, layer=layer, scale=0.7,
                                       use_causal_mask=causal)
    assert out.shape == full.numpy_output.shape and w.shape == full.numpy_weights.shape
    np.testing.assert_array_equal(out, full.keras_output)
    np.testing.assert_array_equal(w, full.keras_weights)
    assert full.passed
    assert float(layer.scale.numpy()) == pytest.approx(0.7)


def test_keras_attention_makes_a_layer_and_names_a_missing_scale_weight():
    q = np.eye(2, 3)
    out, w = kc.keras_attention(q, q)
    np.testing.assert_allclose(w, attention(q, q)[1], atol=1e-6)
    plain = kc.tensorflow().keras.layers.Attention()
    with pytest.raises(ValueError, match="use_scale is False"):
        kc.keras_attention(q, q, layer=plain, scale=2.0)
