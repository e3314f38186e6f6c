"""Tests of attention_lib.mask_explorer: the hatched heatmap and the slider callbacks."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from attention_lib import attention, causal_mask
from attention_lib.mask_explorer import MaskExplorer, masked_heatmap

X = np.random.default_rng(0).normal(size=(8, 4))


def drawn_weights(e):
    return np.asarray(e.figure.axes[0].images[0].get_array())


def test_masked_heatmap_hatches_exactly_the_masked_cells():
    ax = Figure().subplots()
    w = np.tril(np.full((3, 3), 0.5))
    masked_heatmap(ax, w, causal_mask(3))
    assert len(ax.patches) == 3
    corners = sorted((p.get_x(), p.get_y()) for p in ax.patches)
    assert corners == [(0.5, -0.5), (1.5, -0.5), (1.5, 0.5)]
    np.testing.assert_allclose(ax.images[0].get_array(), w)


@pytest.mark.parametrize("args, error, words", [
    ((np.ones(3), np.ones(3, bool)), ValueError, "weights must have at least 2"),
    ((np.ones((2, 2, 2)), np.ones((2, 2, 2), bool)), ValueError, "weights must be 2-D"),
    ((np.ones((2, 2)), np.ones((2, 2))), TypeError, "allowed must be a boolean"),
    ((np.ones((2, 2)), np.ones((2, 3), bool)), ValueError, "allowed has shape"),
])
def test_masked_heatmap_rejects(args, error, words):
    with pytest.raises(error, match=words):
        masked_heatmap(Figure().subplots(), *args)


def test_initial_state_is_drawn_and_is_keras_attention():
    e = MaskExplorer(X, length=6, padding=2)
    real = np.array([1, 1, 1, 1, 0, 0], bool)
    expected = attention(X[:6], X[:6], value_mask=real, use_causal_mask=True)[1]
    np.testing.assert_allclose(e.result["weights"], expected)
    np.testing.assert_allclose(drawn_weights(e), expected)
    assert e.png.startswith(b"\x89PNG")
    assert "length 6, padding 2, causal" in e.figure.axes[0].get_title()
    assert repr(e).startswith("MaskExplorer(sequence of up to 8 tokens")


def test_the_live_widget_shows_the_first_picture_and_display_the_still(monkeypatch):
    e = MaskExplorer(X, length=6, padding=2)
    canvas = e.explorer.live.view
    assert canvas in e.widget.children
    assert canvas.background.startswith(b"\x89PNG") and canvas.background == e.png
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    e._ipython_display_()
    assert shown[0].data == e.png and shown[1] is e.widget


def test_sliders_redraw():
    e = MaskExplorer(X, length=6, padding=2)
    before = e.png
    e.controls["padding"].value = 0
    assert e.result["padding"] == 0 and e.png != before
    np.testing.assert_allclose(drawn_weights(e),
                               attention(X[:6], X[:6], use_causal_mask=True)[1])
    e.controls["causal"].value = False
    np.testing.assert_allclose(drawn_weights(e), attention(X[:6], X[:6])[1])
    e.controls["length"].value = 3
    assert drawn_weights(e).shape == (3, 3) and e.controls["padding"].max == 3


def test_shorter_length_clamps_padding():
    e = MaskExplorer(X, length=8, padding=7)
    e.controls["length"].value = 2
    assert e.controls["padding"].value == 2 and e.result["padding"] == 2
    assert e.result["fully_masked"].all()


@pytest.mark.parametrize("layer, fill", [("Attention", None),
                                         ("MultiHeadAttention, fused path", None),
                                         ("MultiHeadAttention, explicit path", 0.0)])
def test_extremes_never_nan(layer, fill):
    e = MaskExplorer(X, length=1, padding=0, layer=layer)
    for length in (1, 4, 8):
        e.controls["length"].value = length
        for padding in range(length + 1):
            e.controls["padding"].value = padding
            for causal in (True, False):
                e.controls["causal"].value = causal
                w = drawn_weights(e)
                assert w.shape == (length, length) and np.isfinite(w).all()
        # padding == length: every row fully masked
        full = e.result["fully_masked"]
        assert full.all()
        np.testing.assert_allclose(w, 1 / length if fill is None else fill)
        assert "fully masked row" in e.figure.axes[0].get_title()


def test_layer_choice_changes_the_rule():
    e = MaskExplorer(X, length=4, padding=1)
    assert e.controls["layer"].options == ("Attention", "MultiHeadAttention, fused path",
                                           "MultiHeadAttention, explicit path")
    assert "no fully masked row" in e.figure.axes[0].get_title()
    e.controls["layer"].value = "MultiHeadAttention, explicit path"
    assert np.all(drawn_weights(e)[3] == 0)
    assert "all zeros" in e.figure.axes[0].get_title()
    e.controls["layer"].value = "MultiHeadAttention, fused path"
    np.testing.assert_allclose(drawn_weights(e)[3], 0.25)   # every key, the padded one too
    title = e.figure.axes[0].get_title()
    assert "fused path" in title and "uniform 1/4 over every key" in title


def test_tokens_label_the_axes_and_padding_is_marked():
    e = MaskExplorer(X[:3], tokens=["a", "b", "c"], padding=1)
    labels = [t.get_text() for t in e.figure.axes[0].get_xticklabels()]
    assert labels == ["a", "b", "pad"]


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(sequence=np.ones(4)), ValueError, "sequence must have at least 2"),
    (dict(sequence=np.ones((2, 2, 2))), ValueError, "sequence must be 2-D"),
    (dict(tokens=["a"]), ValueError, "tokens has 1 entries but sequence has 8"),
    (dict(length=0), ValueError, "length must lie between 1 and 8"),
    (dict(length=9), ValueError, "length must lie between 1 and 8"),
    (dict(length=3, padding=4), ValueError, "padding must lie between 0 and 3"),
    (dict(padding=1.5), TypeError, "padding must be an integer"),
    (dict(causal=1), TypeError, "causal must be True or False"),
    (dict(layer="Dense"), ValueError, "layer must be one of"),
])
def test_explorer_rejects(kwargs, error, words):
    args = {"sequence": X} | kwargs
    with pytest.raises(error, match=words):
        MaskExplorer(args.pop("sequence"), **args)
