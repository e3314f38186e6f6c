"""attention_lib.date_views: the heatmap draws what it is given, Chinese in a CJK font,
and the explorer's controls redraw the chosen example and head."""

import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from attention_lib.date_views import DateAlignmentExplorer, draw_date_alignment
from attention_lib.fonts import cjk_families, cjk_font

TEXTS = ["2026年12月1日", "1 Dec 2026"]
OUTPUTS = ["2026-12-01", "2026-12-01"]
SPANS = np.array([[[0, 4], [5, 7], [8, 9], [0, 0]], [[6, 10], [2, 5], [0, 1], [0, 0]]])


def weights(n=2, heads=None, source=12, seed=0):
    rng = np.random.default_rng(seed)
    shape = (n, 10, source) if heads is None else (n, heads, 10, source)
    w = rng.random(shape)
    return w / w.sum(axis=-1, keepdims=True)


def test_the_heatmap_shows_the_weights_of_the_text_only_and_its_characters():
    fig = Figure()
    ax = fig.subplots()
    w = weights()[0]
    image = draw_date_alignment(ax, w, TEXTS[0], OUTPUTS[0], spans=SPANS[0])
    np.testing.assert_allclose(image.get_array(), w[:, :len(TEXTS[0])])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(TEXTS[0])
    # The month's output steps are coloured like the month's bar.
    assert ax.get_yticklabels()[5].get_color() == ax.get_yticklabels()[6].get_color()


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed")
def test_chinese_renders_without_missing_glyphs():
    assert len(cjk_families()) == 2
    fig = Figure()
    draw_date_alignment(fig.subplots(), weights()[0], TEXTS[0], OUTPUTS[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # "Glyph ... missing from font" is a warning
        FigureCanvasAgg(fig).draw()               # (a bare Figure's own canvas draws nothing)


def test_the_explorer_follows_the_example_dropdown():
    w = weights()
    ex = DateAlignmentExplorer(w, TEXTS, OUTPUTS, ["zh", "en"], spans=SPANS)
    ex.dropdown.value = 1
    np.testing.assert_allclose(ex.image.get_array(), w[1][:, :len(TEXTS[1])])
    assert "2 examples" in repr(ex)


def test_the_head_selector_picks_a_head_or_the_mean():
    w = weights(heads=4)
    ex = DateAlignmentExplorer(w, TEXTS, OUTPUTS, ["zh", "en"], title="cross-attention")
    np.testing.assert_allclose(ex.image.get_array(), w[0].mean(axis=0)[:, :len(TEXTS[0])])
    ex.head.value = 2
    np.testing.assert_allclose(ex.image.get_array(), w[0, 2][:, :len(TEXTS[0])])
    ex.dropdown.value = 1
    np.testing.assert_allclose(ex.image.get_array(), w[1, 2][:, :len(TEXTS[1])])
    for value in [o[1] for o in ex.head.options]:       # every value the control allows
        ex.head.value = value
    assert "head" in ex.ax.get_title()


@pytest.mark.parametrize("call, message", [
    (lambda: DateAlignmentExplorer(np.zeros((2, 10)), TEXTS, OUTPUTS, ["a", "b"]), "weights"),
    (lambda: DateAlignmentExplorer(weights(), TEXTS[:1], OUTPUTS, ["a", "b"]), "texts"),
    (lambda: DateAlignmentExplorer(weights(), TEXTS, OUTPUTS, ["a", "b"], spans=SPANS[:1]),
     "spans"),
    (lambda: draw_date_alignment(Figure().subplots(), weights()[0], "", "x" * 10), "text"),
    (lambda: draw_date_alignment(Figure().subplots(), weights()[0][:3], TEXTS[0], OUTPUTS[0]),
     "weights must be"),
    (lambda: draw_date_alignment(Figure().subplots(), -weights()[0], TEXTS[0], OUTPUTS[0]),
     "non-negative"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
