"""The numpy twins agree with the Keras layers they copy, within 1e-5.

Keras computes in float32, so inputs are drawn as float32 numbers; magnitudes stay small
enough (|score| < 32) that Keras's "-1e9 for masked keys" trick still gives a fully
masked row uniform weights in float32, the behaviour the twin copies.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_lib.data import seed_arrays

from strategies import attention_case, values

# keras_check imports TensorFlow only when a check runs, so skip on TensorFlow itself.
pytest.importorskip("tensorflow")
from attention_lib import keras_check as kc  # noqa: E402

N_CASES = 250


@pytest.fixture(scope="module")
def layers():
    tf = kc.tensorflow()
    return {(use_scale, mode): tf.keras.layers.Attention(use_scale=use_scale, score_mode=mode)
            for use_scale in (False, True) for mode in ("dot", "concat")}


def test_attention_agrees_with_keras_over_random_cases(layers, capsys):
    seen = {"cases": 0, "batched": 0, "unbatched": 0, "masked": 0, "causal": 0,
            "scaled": 0, "concat": 0, "max_diff": 0.0}

    @settings(max_examples=N_CASES)
    @given(case=attention_case(), use_scale=st.booleans(), scale=st.floats(0.1, 1.5),
           concat_weight=st.floats(0.2, 1.5))
    def agree(case, use_scale, scale, concat_weight):
        layer = layers[(use_scale, case["score_mode"])]
        check = kc.check_attention(
            **case, layer=layer, scale=scale if use_scale else None,
            concat_weight=concat_weight if case["score_mode"] == "concat" else None)
        assert check.passed, str(check)
        seen["cases"] += 1
        seen["batched" if case["query"].ndim > 2 else "unbatched"] += 1
        seen["masked"] += case["value_mask"] is not None or case["query_mask"] is not None
        seen["causal"] += case["use_causal_mask"]
        seen["scaled"] += use_scale
        seen["concat"] += case["score_mode"] == "concat"
        seen["max_diff"] = max(seen["max_diff"], check.max_diff)

    agree()
    with capsys.disabled():
        print(f"\nKeras Attention agreement: {seen}")
    assert seen["cases"] >= 200
    for kind in ("batched", "unbatched", "masked", "causal", "scaled", "concat"):
        assert seen[kind] >= 20, f"too few {kind} cases: {seen}"


@settings(max_examples=60)
@given(case=attention_case(), use_scale=st.booleans(), data=st.data())
def test_additive_attention_agrees_with_keras(case, use_scale, data):
    d = case["query"].shape[-1]
    scale = data.draw(values((d,), bound=1.5)) if use_scale else None
    del case["score_mode"]
    check = kc.check_additive_attention(**case, use_scale=use_scale, scale=scale)
    assert check.passed, str(check)


def test_seed_experiments_agree_with_keras():
    s = seed_arrays()
    assert kc.check_attention(s["query"], s["value"]).passed
    report = kc.check_attention(s["query"], s["value"], s["key"])
    assert report.passed and report.layer_weights == []
    assert str(report).endswith("PASS") and str(report).count("within 1e-05") == 2


def test_report_fails_when_numbers_drift():
    s = seed_arrays()
    report = kc.check_attention(s["query"], s["value"], s["key"])
    report.numpy_weights = report.numpy_weights + 2e-5
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
