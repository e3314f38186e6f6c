"""Every numpy twin agrees with its Keras layer within 1e-5 over random shapes and options
(batched or not, masks, causal, scale and concat weights, dropout), running on the
layer's own get_weights(), and masked positions get zero weight. Attention and
AdditiveAttention are run through keras_check's check_attention, check_additive_attention
and check_attention_dropout, so these are also those checks' random cases.

Keras computes in float32, so inputs are drawn as float32 numbers; magnitudes stay small
enough (|score| < 32) that Keras's "-1e9 for masked keys" trick still gives a fully
masked row uniform weights in float32, the behaviour the twin copies.

Each test counts its cases and the largest |numpy - keras| difference and prints them
(run with -s or look for the lines starting "twin agreement").
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attention_lib.twins import attention_from_weights, multihead_attention_mask

from strategies import attention_case, values

# keras_check imports TensorFlow only when a check runs, so skip on TensorFlow itself.
pytest.importorskip("tensorflow")
from attention_lib import keras_check as kc  # noqa: E402
from attention_lib.multihead import multi_head_attention  # noqa: E402

N_CASES = 220
N_ATTENTION_CASES = 250  # Attention has the most options to cover
SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _report(capsys, name: str, seen: dict) -> None:
    with capsys.disabled():
        print(f"\ntwin agreement {name}: {seen['cases']} cases, largest difference "
              f"{seen['max_diff']:.3g}; {seen}")


def _allowed(case: dict, tq: int, tv: int) -> np.ndarray:
    batch = case["query"].shape[:-2]
    allowed = np.ones(batch + (tq, tv), dtype=bool)
    if case["value_mask"] is not None:
        allowed &= case["value_mask"][..., None, :]
    if case["use_causal_mask"]:
        allowed &= np.tril(np.ones((tq, tv), dtype=bool))
    return allowed


def _assert_masked_get_zero(weights: np.ndarray, allowed: np.ndarray, *,
                            fully_masked_uniform: bool) -> None:
    full = ~allowed.any(axis=-1)
    partly = ~allowed & ~full[..., None]
    assert np.all(weights[partly] == 0.0), "a masked key got a non-zero weight"
    if fully_masked_uniform:
        np.testing.assert_allclose(weights[full], 1.0 / weights.shape[-1], atol=1e-6)
    else:
        assert np.all(weights[full] == 0.0)


def _assert_twin_agrees(check: kc.CrossCheck, case: dict, seen: dict) -> None:
    """The check passed (output and weights within 1e-5) and Keras gave masked keys 0 (a
    fully masked row is uniform); counts the case in ``seen``."""
    assert check.passed and check.atol <= 1e-5, (str(check), case)
    w = check.keras_weights
    _assert_masked_get_zero(w, _allowed(case, *w.shape[-2:]), fully_masked_uniform=True)
    seen["cases"] += 1
    seen["max_diff"] = max(seen["max_diff"], check.max_diff)
    seen["masked"] += case["value_mask"] is not None or case["query_mask"] is not None
    seen["causal"] += case["use_causal_mask"]
    seen["batched" if case["query"].ndim > 2 else "unbatched"] += 1


def _counts(*kinds: str) -> dict:
    return {"cases": 0, "max_diff": 0.0, "masked": 0, "causal": 0, "batched": 0,
            "unbatched": 0} | dict.fromkeys(kinds, 0)


# ---- Attention, including dropout layers in inference ------------------------------------

@pytest.fixture(scope="module")
def attention_layers():
    tf = kc.tensorflow()
    return {(use_scale, mode, rate): tf.keras.layers.Attention(
        use_scale=use_scale, score_mode=mode, dropout=rate, seed=7)
        for use_scale in (False, True) for mode in ("dot", "concat") for rate in (0.0, 0.4)}


def test_attention_twin_on_get_weights(attention_layers, capsys):
    seen = _counts("scaled", "concat", "dropout_layer")

    @settings(max_examples=N_ATTENTION_CASES, **SLOW)
    @given(case=attention_case(), use_scale=st.booleans(), rate=st.sampled_from([0.0, 0.4]),
           scale=st.floats(0.125, 1.5, width=32), cw=st.floats(0.25, 1.5, width=32))
    def agree(case, use_scale, rate, scale, cw):
        mode = case.pop("score_mode")
        check = kc.check_attention(
            **case, layer=attention_layers[(use_scale, mode, rate)],
            scale=scale if use_scale else None, concat_weight=cw if mode == "concat" else None)
        assert check.layer == f'Attention(use_scale={use_scale}, score_mode="{mode}")'
        # The twin ran on the layer's weights, holding the numbers asked for.
        assert [float(w) for w in check.layer_weights] == (
            [scale] * use_scale + [cw] * (mode == "concat"))
        _assert_twin_agrees(check, case, seen)
        seen["scaled"] += use_scale
        seen["concat"] += mode == "concat"
        seen["dropout_layer"] += rate > 0

    agree()
    _report(capsys, "Attention (inference, get_weights())", seen)
    assert seen["cases"] >= 200
    for kind in ("scaled", "concat", "dropout_layer", "masked", "causal", "batched",
                 "unbatched"):
        assert seen[kind] >= 20, f"too few {kind} cases: {seen}"


def test_attention_dropout_in_training(capsys):
    """Survivors are the twin's weights / (1 - rate), the rest exactly 0, and the output
    is computed from those dropped weights; check_attention_dropout makes the layer from
    rate and seed, or reuses a built one."""
    tf = kc.tensorflow()
    tf.keras.utils.set_random_seed(0)
    layers = {rate: tf.keras.layers.Attention(dropout=rate, seed=11)
              for rate in (0.2, 0.5, 0.8)}
    seen = {"cases": 0, "max_diff": 0.0, "own_layer": 0, "dropped": 0, "kept": 0,
            "weights": 0}

    @settings(max_examples=60, **SLOW)
    @given(case=attention_case(with_masks=True), rate=st.sampled_from([0.2, 0.5, 0.8]),
           own_layer=st.booleans(), seed=st.integers(0, 2**16))
    def agree(case, rate, own_layer, seed):
        case.pop("score_mode")
        layer = dict(rate=rate, seed=seed) if own_layer else dict(layer=layers[rate])
        check = kc.check_attention_dropout(**case, **layer)
        assert check.passed, str(check)
        assert check.layer.endswith(f"dropout={rate:g}), training=True")
        _, inference = attention_from_weights(case["query"].astype(np.float32),
                                              case["value"].astype(np.float32),
                                              None if case["key"] is None else
                                              case["key"].astype(np.float32),
                                              weights=[], value_mask=case["value_mask"],
                                              use_causal_mask=case["use_causal_mask"])
        kept = check.keras_weights != 0
        np.testing.assert_allclose(check.keras_weights[kept],
                                   inference[kept] / (1 - rate), rtol=1e-5, atol=1e-6)
        seen["cases"] += 1
        seen["max_diff"] = max(seen["max_diff"], check.max_diff)
        seen["own_layer"] += own_layer
        seen["dropped"] += int((~kept & (inference > 0)).sum())
        seen["kept"] += int(kept.sum())
        seen["weights"] += inference.size

    agree()
    _report(capsys, "Attention (training, dropout)", seen)
    assert seen["cases"] >= 50 and seen["own_layer"] >= 10
    assert seen["dropped"] > 0 and seen["kept"] > 0


# ---- AdditiveAttention -------------------------------------------------------------------

def test_additive_attention_twin_on_get_weights(capsys):
    tf = kc.tensorflow()
    layers: dict = {}
    seen = _counts("scaled", "with_key")

    @settings(max_examples=N_CASES, **SLOW)
    @given(case=attention_case(), use_scale=st.booleans(), data=st.data())
    def agree(case, use_scale, data):
        case.pop("score_mode")
        d = case["query"].shape[-1]
        if (use_scale, d) not in layers:  # a built layer's scale has d entries
            layers[use_scale, d] = tf.keras.layers.AdditiveAttention(use_scale=use_scale)
        scale = data.draw(values((d,), bound=1.5)) if use_scale else None
        check = kc.check_additive_attention(**case, layer=layers[use_scale, d], scale=scale)
        if use_scale:
            np.testing.assert_array_equal(check.layer_weights[0], scale)
        else:
            assert check.layer_weights == []
        _assert_twin_agrees(check, case, seen)
        seen["scaled"] += use_scale
        seen["with_key"] += case["key"] is not None

    agree()
    _report(capsys, "AdditiveAttention", seen)
    assert seen["cases"] >= 200
    for kind in ("scaled", "masked", "causal", "batched", "unbatched", "with_key"):
        assert seen[kind] >= 20, f"too few {kind} cases: {seen}"


# ---- MultiHeadAttention with query_mask, value_mask, attention_mask, causal -------------

def _hits_keras_bias_add_bug(heads: int, key_dim: int, value_dim: int, use_bias: bool,
                             tq: int, tv: int) -> bool:
    """Keras 3.15 adds a (heads, 1) projection bias along the wrong axis when a sequence
    length equals heads (documented and xfail-tested in tests/test_multihead.py)."""
    if not use_bias or heads == 1:
        return False
    return (key_dim == 1 and heads in (tq, tv)) or (value_dim == 1 and heads == tv)


@st.composite
def mha_mask_cases(draw):
    heads, key_dim = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    value_dim = draw(st.sampled_from([None, 1, 2, 3]))
    use_bias = draw(st.booleans())
    dq, dv = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    with_key = draw(st.booleans())
    batch, tq, tv = draw(st.integers(1, 2)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    masks = {name: draw(st.booleans()) for name in ("query_mask", "value_mask",
                                                    "attention_mask")}
    return dict(heads=heads, key_dim=key_dim, value_dim=value_dim, use_bias=use_bias,
                dq=dq, dv=dv, with_key=with_key, batch=batch, tq=tq, tv=tv, masks=masks,
                causal=draw(st.booleans()), seed=draw(st.integers(0, 2**16)))


def test_multi_head_attention_twin_with_every_mask(capsys):
    tf = kc.tensorflow()
    layers: dict = {}
    seen = {"cases": 0, "max_diff": 0.0, "query_mask": 0, "value_mask": 0,
            "attention_mask": 0, "causal": 0, "fully_masked_rows": 0, "skipped_bug": 0}

    @settings(max_examples=N_CASES, **SLOW)
    @given(c=mha_mask_cases())
    def agree(c):
        hv = c["key_dim"] if c["value_dim"] is None else c["value_dim"]
        if _hits_keras_bias_add_bug(c["heads"], c["key_dim"], hv, c["use_bias"], c["tq"],
                                    c["tv"]):
            seen["skipped_bug"] += 1
            return
        dk = 2 if c["with_key"] else None
        config = (c["heads"], c["key_dim"], c["value_dim"], c["use_bias"], c["dq"], c["dv"],
                  dk)
        if config not in layers:
            layer = tf.keras.layers.MultiHeadAttention(
                num_heads=c["heads"], key_dim=c["key_dim"], value_dim=c["value_dim"],
                use_bias=c["use_bias"])
            layer.build((1, 1, c["dq"]), (1, 1, c["dv"]), None if dk is None else (1, 1, dk))
            layers[config] = layer
        layer = layers[config]
        rng = np.random.default_rng(c["seed"])
        layer.set_weights([rng.uniform(-1, 1, w.shape).round(3).astype(np.float32)
                           for w in layer.get_weights()])
        b, tq, tv = c["batch"], c["tq"], c["tv"]
        q = rng.uniform(-2, 2, (b, tq, c["dq"])).round(3).astype(np.float32)
        v = rng.uniform(-2, 2, (b, tv, c["dv"])).round(3).astype(np.float32)
        k = None if dk is None else rng.uniform(-2, 2, (b, tv, dk)).round(3).astype(np.float32)
        masks = {"query_mask": rng.random((b, tq)) < 0.7,
                 "value_mask": rng.random((b, tv)) < 0.7,
                 "attention_mask": rng.random((b, tq, tv)) < 0.7}
        masks = {n: m for n, m in masks.items() if c["masks"][n]}
        keras_q = q
        if "query_mask" in masks:
            # Keras 3.15 ignores an explicit query_mask= (see the test below); the query
            # mask reaches the layer as the Keras mask of the query tensor, here from a
            # Masking layer on the rows we zero.
            q = np.where(masks["query_mask"][..., None], q, 0.0).astype(np.float32)
            masks["query_mask"] = np.any(q != 0, axis=-1)
            keras_q = tf.keras.layers.Masking(mask_value=0.0)(q)
        keras_masks = {n: m for n, m in masks.items() if n != "query_mask"}
        k_out, k_w = layer(keras_q, v, k, return_attention_scores=True,
                           use_causal_mask=c["causal"], **keras_masks)
        combined = multihead_attention_mask(tq, tv, **masks)
        combined = np.broadcast_to(combined, (b, tq, tv))
        n_out, n_w = multi_head_attention(q, v, k, weights=layer.get_weights(),
                                          attention_mask=combined,
                                          use_causal_mask=c["causal"])
        k_out, k_w = np.asarray(k_out, np.float64), np.asarray(k_w, np.float64)
        diff = max(np.max(np.abs(k_out - n_out)), np.max(np.abs(k_w - n_w)))
        assert diff <= 1e-5, (diff, c)
        allowed = combined & (np.tril(np.ones((tq, tv), bool)) if c["causal"] else True)
        _assert_masked_get_zero(k_w, np.broadcast_to(allowed[:, None], k_w.shape),
                                fully_masked_uniform=False)
        seen["cases"] += 1
        seen["max_diff"] = max(seen["max_diff"], float(diff))
        for name in ("query_mask", "value_mask", "attention_mask"):
            seen[name] += name in masks
        seen["causal"] += c["causal"]
        seen["fully_masked_rows"] += int((~allowed.any(axis=-1)).sum())

    agree()
    _report(capsys, "MultiHeadAttention (masks)", seen)
    assert seen["cases"] >= 200, seen
    for kind in ("query_mask", "value_mask", "attention_mask", "causal"):
        assert seen[kind] >= 40, f"too few {kind} cases: {seen}"
    assert seen["fully_masked_rows"] > 0


def test_keras_ignores_an_explicit_query_mask_in_multi_head_attention():
    """Keras 3.15's MultiHeadAttention.call replaces its query_mask argument with the
    Keras mask of the query tensor, so query_mask=... has no effect; a Masking or
    Embedding(mask_zero=True) layer in front works. When this test fails, Keras has
    fixed it: update notebook 07 and the twin test above."""
    tf = kc.tensorflow()
    tf.keras.utils.set_random_seed(0)
    layer = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    x = np.random.default_rng(0).uniform(-2, 2, (1, 3, 2)).astype(np.float32)
    _, plain = layer(x, x, return_attention_scores=True)
    _, explicit = layer(x, x, query_mask=np.array([[True, True, False]]),
                        return_attention_scores=True)
    np.testing.assert_array_equal(np.asarray(explicit), np.asarray(plain))
    x[0, 2] = 0.0
    _, masked = layer(tf.keras.layers.Masking(mask_value=0.0)(x), x,
                      return_attention_scores=True)
    assert np.all(np.asarray(masked)[0, :, 2] == 0.0)
