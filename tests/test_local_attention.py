"""Tests of attention_lib.local_attention: Luong's scores, global and local-p attention."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_lib import additive_score, attention, general_score
from attention_lib.local_attention import (
    gaussian_window,
    global_attention,
    local_attention,
    local_window,
    luong_score,
    predicted_position,
)

RNG = np.random.default_rng(0)
HT, HS = RNG.normal(size=(3, 4)), RNG.normal(size=(8, 4))
W_GENERAL = RNG.normal(size=(4, 4))
W_CONCAT, V_CONCAT = RNG.normal(size=(8, 5)), RNG.normal(size=5)


def test_luong_scores_match_the_formulas():
    np.testing.assert_allclose(luong_score(HT, HS), HT @ HS.T)
    np.testing.assert_allclose(luong_score(HT, HS, mode="general", weight=W_GENERAL),
                               HT @ W_GENERAL @ HS.T)
    concat = luong_score(HT, HS, mode="concat", weight=W_CONCAT, v=V_CONCAT)
    by_hand = np.array([[V_CONCAT @ np.tanh(np.concatenate([h_t, h_s]) @ W_CONCAT)
                         for h_s in HS] for h_t in HT])
    np.testing.assert_allclose(concat, by_hand, atol=1e-12)
    np.testing.assert_allclose(concat, additive_score(HT, HS, W_CONCAT[:4], W_CONCAT[4:],
                                                      V_CONCAT))
    np.testing.assert_allclose(luong_score(HT, HS, mode="general", weight=np.eye(4)),
                               general_score(HT, HS, np.eye(4)))


def test_global_attention_uses_every_position():
    ctx, w = global_attention(HT, HS)
    _, expected = attention(HT, HS)
    np.testing.assert_allclose(w, expected, atol=1e-12)
    assert (w > 0).all()
    np.testing.assert_allclose(ctx, w @ HS)


def test_predicted_position_formula_and_range():
    w_p, v_p = RNG.normal(size=(4, 3)), RNG.normal(size=3)
    p = predicted_position(HT, w_p, v_p, 8)
    np.testing.assert_allclose(p, 8 / (1 + np.exp(-(np.tanh(HT @ w_p) @ v_p))))
    assert p.shape == (3,) and ((p > 0) & (p < 8)).all()


def test_window_and_gaussian():
    np.testing.assert_array_equal(local_window(2.5, 8, 2),
                                  [0, 1, 1, 1, 1, 0, 0, 0])
    g = gaussian_window(2.5, 8, 2)
    np.testing.assert_allclose(g[4], np.exp(-1.5 ** 2 / 2))   # sigma = D / 2 = 1
    assert g.shape == (8,)


def test_local_attention_by_hand():
    p = np.array([2.5, 0.0, 8.0])
    ctx, w, pos = local_attention(HT, HS, half_width=2, positions=p)
    np.testing.assert_array_equal(pos, p)
    for t in range(3):
        inside = np.abs(np.arange(8) - p[t]) <= 2
        s = HT[t] @ HS[inside].T
        align = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        expected = np.zeros(8)
        expected[inside] = align * np.exp(-(np.arange(8)[inside] - p[t]) ** 2 / 2)
        np.testing.assert_allclose(w[t], expected, atol=1e-12)
    np.testing.assert_allclose(ctx, w @ HS)


def test_local_attention_with_predicted_positions_and_batches():
    w_p, v_p = RNG.normal(size=(4, 3)), RNG.normal(size=3)
    _, w, p = local_attention(HT, HS, half_width=1, w_p=w_p, v_p=v_p)
    np.testing.assert_allclose(p, predicted_position(HT, w_p, v_p, 8))
    batch_q, batch_s = np.stack([HT, HT]), np.stack([HS, HS])
    _, wb, pb = local_attention(batch_q, batch_s, half_width=1, w_p=w_p, v_p=v_p)
    np.testing.assert_allclose(wb[1], w)
    assert pb.shape == (2, 3)


@settings(max_examples=100, deadline=None)
@given(d=st.integers(1, 12), p=st.floats(0, 8), mode=st.sampled_from(["dot", "general",
                                                                       "concat"]))
def test_local_is_only_a_window_global_is_everything(d, p, mode):
    """The seed's sentence, as a property: local weights vanish outside the window and
    nowhere inside it; global weights are positive everywhere."""
    params = {"dot": {}, "general": dict(weight=W_GENERAL),
              "concat": dict(weight=W_CONCAT, v=V_CONCAT)}[mode]
    _, w, _ = local_attention(HT[:1], HS, half_width=d, positions=np.array([p]),
                              score_mode=mode, **params)
    inside = np.abs(np.arange(8) - p) <= d
    assert inside.any() and np.isfinite(w).all()
    assert (w[0, ~inside] == 0).all() and (w[0, inside] > 0).all()
    assert w.sum() <= 1 + 1e-12
    _, g = global_attention(HT[:1], HS, score_mode=mode, **params)
    assert (g > 0).all()


@pytest.mark.parametrize("call, error, words", [
    (lambda: luong_score(HT, HS, mode="cosine"), ValueError, "mode must be one of"),
    (lambda: luong_score(HT, HS, weight=W_GENERAL), ValueError, "dot score has no"),
    (lambda: luong_score(HT, HS, mode="general"), ValueError, "needs weight"),
    (lambda: luong_score(HT, HS, mode="general", weight=W_GENERAL, v=V_CONCAT), ValueError,
     "general score has no v"),
    (lambda: luong_score(HT, HS, mode="concat", weight=W_CONCAT), ValueError, "needs v"),
    (lambda: luong_score(HT, HS, mode="concat", weight=W_CONCAT[:6], v=V_CONCAT),
     ValueError, "weight has shape"),
    (lambda: luong_score(HT, HS[:, :3]), ValueError, "key has 3 features"),
    (lambda: global_attention(HT, HS, HS[:5]), ValueError, "key has 5 positions"),
    (lambda: global_attention(HT, HS[None]), ValueError, "batch shape"),
    (lambda: predicted_position(HT, np.ones((3, 2)), np.ones(2), 8), ValueError, "w_p"),
    (lambda: predicted_position(HT, np.ones((4, 2)), np.ones(3), 8), ValueError, "v_p"),
    (lambda: predicted_position(HT, np.ones((4, 2)), np.ones(2), 0), ValueError,
     "source_length"),
    (lambda: local_window(2.0, 8, 0), ValueError, "half_width must be at least 1"),
    (lambda: local_window(2.0, 8, 1.5), TypeError, "half_width"),
    (lambda: local_window(9.0, 8, 1), ValueError, "positions must lie in"),
    (lambda: gaussian_window(-1.0, 8, 1), ValueError, "positions must lie in"),
    (lambda: gaussian_window(np.nan, 8, 1), ValueError, "positions contains NaN"),
    (lambda: local_attention(HT, HS, half_width=2), ValueError, "needs positions"),
    (lambda: local_attention(HT, HS, half_width=2, positions=np.ones(3), w_p=np.ones((4, 2)),
                             v_p=np.ones(2)), ValueError, "not both"),
    (lambda: local_attention(HT, HS, half_width=2, positions=np.ones(2)), ValueError,
     "positions has shape"),
    (lambda: local_attention(HT, HS, half_width=True, positions=np.ones(3)), TypeError,
     "half_width"),
])
def test_bad_input_is_rejected(call, error, words):
    with pytest.raises(error, match=words):
        call()
