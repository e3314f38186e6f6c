"""attention_lib.keras_check on fixed inputs: the CrossCheck report (pass, fail when the
numbers drift), the layer's own weights loaded into the twin, our errors raised before
Keras runs, the dropout check with masks, cross_check_table, and keras_attention (the
explorer's Keras panel). Agreement over random shapes and options, dropout included, is
in tests/test_twins_agreement.py; check_multi_head_attention in tests/test_multihead.py."""

import dataclasses

import numpy as np
import pytest

from attention_lib import attention
from attention_lib.data import seed_arrays

# keras_check imports TensorFlow only when a check runs, so skip on TensorFlow itself.
pytest.importorskip("tensorflow")
from attention_lib import keras_check as kc  # noqa: E402

RNG = np.random.default_rng(0)
Q, V = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4))


# ---- check_attention and its report ------------------------------------------------------

def test_seed_experiments_agree_with_keras():
    s = seed_arrays()
    assert kc.check_attention(s["query"], s["value"]).passed
    report = kc.check_attention(s["query"], s["value"], s["key"])
    assert report.passed and report.layer_weights == []
    assert str(report).endswith("PASS") and str(report).count("within 1e-05") == 2


@pytest.mark.parametrize("drifting", ["numpy_output", "numpy_weights"])
def test_report_fails_when_numbers_drift(drifting):
    s = seed_arrays()
    report = kc.check_attention(s["query"], s["value"], s["key"])
    report = dataclasses.replace(report, **{drifting: getattr(report, drifting) + 2e-5})
    assert not report.passed and "FAIL" in str(report)
    with pytest.raises(AssertionError, match="disagree"):
        report.assert_ok()


def test_layer_weights_are_loaded_into_the_twin():
    s = seed_arrays()
    report = kc.check_attention(s["query"], s["value"], s["key"], use_scale=True, scale=2.5,
                                score_mode="concat", concat_weight=0.5)
    assert report.passed
    np.testing.assert_allclose([float(w) for w in report.layer_weights], [2.5, 0.5])


def test_bad_input_gets_our_error_not_a_keras_stack():
    s = seed_arrays()
    with pytest.raises(ValueError, match=r"key has 4 features but query has 3"):
        kc.check_attention(s["query"], s["value"], np.ones((2, 4)))
    with pytest.raises(ValueError, match="query contains NaN"):
        kc.check_attention(np.full((2, 3), np.nan), s["value"])
    with pytest.raises(ValueError, match="scale was given but use_scale is False"):
        kc.check_attention(s["query"], s["value"], scale=2.0)
    with pytest.raises(ValueError, match="score_mode must be one of"):
        kc.check_attention(s["query"], s["value"], score_mode="additive")


# ---- check_attention_dropout -------------------------------------------------------------

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


# ---- cross_check_table -------------------------------------------------------------------

def test_cross_check_table():
    good = kc.check_attention(Q, V)
    bad = dataclasses.replace(good, numpy_weights=good.numpy_weights + 1e-3)
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


# ---- keras_attention ---------------------------------------------------------------------

@pytest.mark.parametrize("batched, causal, key", [(False, False, True), (True, True, False),
                                                  (True, False, True)])
def test_keras_attention_is_check_attentions_keras_half(batched, causal, key):
    rng = np.random.default_rng(7)
    lead = (2,) if batched else ()
    q, v, k = (rng.normal(size=(*lead, 3, 4)) for _ in range(3))
    k = k if key else None
    layer = kc.tensorflow().keras.layers.Attention(use_scale=True)
    out, w = kc.keras_attention(q, v, k, layer=layer, scale=0.7, use_causal_mask=causal)
    full = kc.check_attention(q, v, k, layer=layer, scale=0.7, use_causal_mask=causal)
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
