"""Tests of attention_lib.history (timeline, figures, the local-window slider), the Keras
AdditiveAttention cross-check notebook 01 relies on, and notebook 01's exercises."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from attention_lib import additive_score, keras_additive_score, keras_check
from attention_lib.exercises import check
from attention_lib.exercises._core import NOT_ANSWERED
from attention_lib.glimpse import toy_digit
from attention_lib.history import (
    MILESTONES,
    REFERENCES,
    draw_timeline,
    glimpse_figure,
    local_window_explorer,
)
from attention_lib.local_attention import global_attention, local_attention

RNG = np.random.default_rng(0)
HS, HT = RNG.normal(size=(10, 4)), RNG.normal(size=4)


def test_milestones_cover_2014_to_2017_and_cite_the_seed():
    assert [m.year for m in MILESTONES] == [2014, 2014, 2015, 2016, 2017]
    assert sorted(m.ref for m in MILESTONES) == sorted(REFERENCES) == [10, 21, 22, 23, 24]
    assert "Heess N, Graves A, Kavukcuoglu K" in REFERENCES[21]
    assert "5998-6008" in REFERENCES[10] and "1412-1421" in REFERENCES[23]


def test_timeline_draws_every_milestone():
    fig = Figure()
    ax = fig.subplots()
    draw_timeline(ax)
    texts = " ".join(t.get_text() for t in ax.texts)
    for m in MILESTONES:
        assert m.who in texts and f"[{m.ref}]" in texts
    for year in ("2014", "2015", "2016", "2017"):
        assert year in texts
    with pytest.raises(ValueError, match="milestones is empty"):
        draw_timeline(ax, ())


def test_glimpse_figure_has_every_scale():
    fig = glimpse_figure(toy_digit(28), (10, 14), patch=6, scales=3)
    assert len(fig.axes) == 5
    assert fig.axes[1].images[0].get_array().shape == (6, 6)
    with pytest.raises(ValueError, match="outside the image"):
        glimpse_figure(toy_digit(28), (30, 0))


def test_explorer_initial_state_is_drawn():
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    _, g = global_attention(HT[None], HS)
    np.testing.assert_allclose(e.global_line.get_ydata(), g[0])
    np.testing.assert_allclose(e.local_line.get_ydata(), e.weights(2))
    assert "D = 2" in e.ax.get_title()
    assert repr(e.widget) == ("VBox(children=(IntSlider(value=2, continuous_update=False, "
                              "description='D', max=10, min=1), Output()))")


def test_slider_callback_redraws_for_the_new_d():
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    for d in (5, 1, 10, 3):                    # both extremes included
        e.slider.value = d
        _, expected, _ = local_attention(HT[None], HS, half_width=d,
                                         positions=np.array([4.3]))
        drawn = np.asarray(e.local_line.get_ydata())
        np.testing.assert_allclose(drawn, expected[0], atol=1e-12)
        assert np.isfinite(drawn).all()
        assert e.window.get_x() == pytest.approx(4.3 - d)
        assert e.window.get_width() == 2 * d
        assert f"D = {d}," in e.ax.get_title()
    assert e.slider.min == 1 and e.slider.max == 10


def test_explorer_at_the_edges_never_gives_nan():
    for position in (0.0, 10.0):
        e = local_window_explorer(HT, HS, position=position, half_width=1)
        for d in range(1, 11):
            e.slider.value = d
            assert np.isfinite(e.local_line.get_ydata()).all()
            assert (np.asarray(e.local_line.get_ydata()) > 0).any()


def test_explorer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="query must be one target state"):
        local_window_explorer(HS[:2], HS, position=1.0)
    with pytest.raises(ValueError, match="max_half_width"):
        local_window_explorer(HT, HS, position=1.0, max_half_width=0)
    with pytest.raises(ValueError, match="positions must lie in"):
        local_window_explorer(HT, HS, position=11.0)
    with pytest.raises(ValueError, match="half_width must be at least 1"):
        local_window_explorer(HT, HS, position=1.0, half_width=0)


# ---- Bahdanau and Keras's AdditiveAttention ---------------------------------------------

def test_keras_additive_score_is_bahdanau_without_projections():
    q, k, v = RNG.normal(size=(3, 4)), RNG.normal(size=(5, 4)), RNG.normal(size=4)
    np.testing.assert_allclose(keras_additive_score(q, k, v),
                               additive_score(q, k, np.eye(4), np.eye(4), v), atol=1e-12)
    wq, wk = RNG.normal(size=(4, 6)), RNG.normal(size=(4, 6))
    v6 = RNG.normal(size=6)
    np.testing.assert_allclose(additive_score(q, k, wq, wk, v6),
                               keras_additive_score(q @ wq, k @ wk, v6), atol=1e-12)


_ADDITIVE_LAYERS: dict = {}


@settings(max_examples=60, deadline=None)
@given(tq=st.integers(1, 4), tv=st.integers(1, 4), d=st.integers(1, 4),
       use_scale=st.booleans(), with_key=st.booleans(), seed=st.integers(0, 2**16))
def test_check_additive_attention_agrees_to_1e_5(tq, tv, d, use_scale, with_key, seed):
    tf = keras_check.tensorflow()
    rng = np.random.default_rng(seed)
    config = (d, use_scale, with_key)
    if config not in _ADDITIVE_LAYERS:
        _ADDITIVE_LAYERS[config] = tf.keras.layers.AdditiveAttention(use_scale=use_scale)
    layer = _ADDITIVE_LAYERS[config]
    q = np.round(rng.uniform(-2, 2, (tq, d)), 3)
    v = np.round(rng.uniform(-2, 2, (tv, d + 1)), 3)
    k = np.round(rng.uniform(-2, 2, (tv, d)), 3) if with_key else None
    if k is None:
        v = v[:, :d]
    scale = np.round(rng.uniform(-2, 2, d), 3) if use_scale else None
    report = keras_check.check_additive_attention(q, v, k, scale=scale, layer=layer)
    assert report.max_diff <= 1e-5, str(report)


# ---- notebook 01's exercises ------------------------------------------------------------

def test_blank_answers_say_not_answered():
    for ex_id in ("01.1", "01.2", "01.3", "01.4"):
        assert str(check(ex_id, None)) == NOT_ANSWERED


def test_right_answers_pass_and_wrong_ones_get_hints():
    x = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]])
    y = np.array([[0.0, 0.0], [0.0, 4.0]])
    right = 1 / (1 + np.linalg.norm(x[:, None] - y[None], axis=-1))
    assert check("01.1", right).ok
    hint = check("01.1", right.T)
    assert not hint.ok and "shape" in hint.message
    assert check("01.2", np.exp(-1.5 ** 2 / 2)).ok
    assert "too high" in check("01.2", 0.9).message
    assert check("01.4", 2160).ok
    assert "too low" in check("01.4", 2000).message

    def mine(x):
        s = x @ x.T / np.sqrt(x.shape[1])
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def unscaled(x):
        s = x @ x.T
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    assert check("01.3", mine).ok
    assert not check("01.3", unscaled).ok
