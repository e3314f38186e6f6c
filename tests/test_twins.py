"""Tests of attention_lib.twins: naming get_weights(), the twins, dropout, the MHA mask."""

import numpy as np
import pytest

from attention_lib import additive_attention, attention
from attention_lib.twins import (
    additive_attention_from_weights,
    apply_dropout,
    attention_from_weights,
    multihead_attention_mask,
    recover_keep_mask,
    unpack_additive_weights,
    unpack_attention_weights,
)

RNG = np.random.default_rng(0)
Q, V, K = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 2)), RNG.normal(size=(2, 5, 4))


@pytest.mark.parametrize("use_scale, mode, weights, expected", [
    (False, "dot", [], {"scale": None, "concat_weight": 1.0}),
    (True, "dot", [np.float32(2.0)], {"scale": 2.0, "concat_weight": 1.0}),
    (False, "concat", [np.array(0.5)], {"scale": None, "concat_weight": 0.5}),
    (True, "concat", [np.array(3.0), np.array(0.5)], {"scale": 3.0, "concat_weight": 0.5}),
])
def test_unpack_attention_weights(use_scale, mode, weights, expected):
    assert unpack_attention_weights(weights, use_scale=use_scale, score_mode=mode) == expected


def test_attention_from_weights_is_attention_with_those_numbers():
    out, w = attention_from_weights(Q, V, K, weights=[np.array(0.7), np.array(1.3)],
                                    use_scale=True, score_mode="concat",
                                    use_causal_mask=True)
    ref = attention(Q, V, K, score_mode="concat", scale=0.7, concat_weight=1.3,
                    use_causal_mask=True)
    np.testing.assert_allclose(out, ref[0])
    np.testing.assert_allclose(w, ref[1])


def test_additive_attention_from_weights():
    scale = RNG.normal(size=4)
    out, w = additive_attention_from_weights(Q, V, K, weights=[scale])
    ref = additive_attention(Q, V, K, scale=scale)
    np.testing.assert_allclose(out, ref[0])
    np.testing.assert_allclose(w, ref[1])
    _, w0 = additive_attention_from_weights(Q, V, K, weights=[], use_scale=False)
    np.testing.assert_allclose(w0, additive_attention(Q, V, K)[1])
    assert unpack_additive_weights([], use_scale=False) is None


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(weights=np.array([1.0])), TypeError, "weights must be the list"),
    (dict(weights=[1.0]), ValueError, "weights holds 1 arrays but Attention"),
    (dict(weights=[np.ones(2)], use_scale=True), ValueError, r"\(scale\) must be a scalar"),
    (dict(weights=[np.array(np.nan)], use_scale=True), ValueError, "scale must be finite"),
    (dict(weights=[], use_scale=1), TypeError, "use_scale must be True or False"),
    (dict(weights=[], score_mode="additive"), ValueError, "score_mode must be one of"),
])
def test_unpack_attention_weights_rejects(kwargs, error, words):
    with pytest.raises(error, match=words):
        unpack_attention_weights(**kwargs)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(weights="scale"), TypeError, "weights must be the list"),
    (dict(weights=[]), ValueError, r"weights holds 0 arrays but AdditiveAttention\(use_scale"),
    (dict(weights=[np.ones((2, 2))]), ValueError, "must be 1-D"),
    (dict(weights=[np.ones(3)], features=4), ValueError, "query has 4 features"),
    (dict(weights=[np.ones(3)], use_scale="yes"), TypeError, "use_scale must be True"),
])
def test_unpack_additive_weights_rejects(kwargs, error, words):
    with pytest.raises(error, match=words):
        unpack_additive_weights(**kwargs)


def test_additive_twin_checks_scale_against_query():
    with pytest.raises(ValueError, match="query has 4 features"):
        additive_attention_from_weights(Q, V, K, weights=[np.ones(3)])


def test_dropout_keeps_and_scales():
    w = np.array([[0.2, 0.8], [0.5, 0.5]])
    keep = np.array([[True, False], [True, True]])
    np.testing.assert_allclose(apply_dropout(w, keep, 0.5), [[0.4, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(recover_keep_mask([[0.4, 0.0], [1.0, 1.0]]), keep)
    np.testing.assert_allclose(apply_dropout(w, np.ones((2, 2), bool), 0.0), w)


@pytest.mark.parametrize("args, error, words", [
    (([[0.5]], [[True]], 1.0), ValueError, r"rate must lie in \[0, 1\)"),
    (([[0.5]], [[True]], -0.1), ValueError, "rate must lie"),
    (([[0.5]], [[0.5]], 0.5), TypeError, "keep must be a boolean"),
    (([[0.5]], [[True, True]], 0.5), ValueError, "keep has shape"),
    (([[np.nan]], [[True]], 0.5), ValueError, "weights contains NaN"),
    (([[0.5]], [[True]], "half"), TypeError, "rate must be a single real number"),
])
def test_apply_dropout_rejects(args, error, words):
    with pytest.raises(error, match=words):
        apply_dropout(*args)


def test_recover_keep_mask_rejects():
    with pytest.raises(TypeError, match="dropped_weights"):
        recover_keep_mask("abc")


def test_multihead_attention_mask_combines_like_keras():
    qm = np.array([[True, False, True]])
    vm = np.array([[True, True, False, True]])
    am = RNG.random((1, 3, 4)) < 0.5
    m = multihead_attention_mask(3, 4, query_mask=qm, value_mask=vm, attention_mask=am)
    np.testing.assert_array_equal(m, qm[:, :, None] & vm[:, None, :] & am)
    assert multihead_attention_mask(2, 3).shape == (2, 3)
    assert multihead_attention_mask(2, 3).all()
    assert multihead_attention_mask(3, 4, query_mask=qm).shape == (1, 3, 4)
    np.testing.assert_array_equal(multihead_attention_mask(3, 4, key_mask=vm), np.broadcast_to(
        vm[:, None, :], (1, 3, 4)))


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(query_mask=np.ones((1, 2), bool)), ValueError, "query_mask has shape"),
    (dict(value_mask=np.ones((1, 3))), TypeError, "value_mask must be a boolean"),
    (dict(attention_mask=np.ones((3, 3), bool)), ValueError, "attention_mask has shape"),
    (dict(attention_mask=np.ones((3, 4))), TypeError, "attention_mask must be a boolean"),
    (dict(tq=0), ValueError, "tq must be at least 1"),
])
def test_multihead_attention_mask_rejects(kwargs, error, words):
    args = {"tq": 3, "tv": 4} | kwargs
    with pytest.raises(error, match=words):
        multihead_attention_mask(args.pop("tq"), args.pop("tv"), **args)
