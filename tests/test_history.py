"""Tests of attention_lib.history and history_data (timeline, figures, the local-window
slider), the Keras AdditiveAttention cross-check notebook 08 relies on, and where the
glossary lives."""

import matplotlib

matplotlib.use("Agg")

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from PIL import Image

from attention_lib import additive_score, history, history_data, keras_additive_score, keras_check
from attention_lib.glimpse import glimpse, glimpse_path, toy_digit
from attention_lib.history import (
    MILESTONES,
    REFERENCES,
    draw_timeline,
    glimpse_figure,
    glimpse_path_figure,
    grace_hopper,
    local_window_explorer,
)
from attention_lib.local_attention import global_attention, local_attention
from attention_lib.widgets import figure_png

RNG = np.random.default_rng(0)
HS, HT = RNG.normal(size=(10, 4)), RNG.normal(size=4)


def test_milestones_cover_2014_to_2017_and_cite_the_seed():
    assert [m.year for m in MILESTONES] == [2014, 2014, 2015, 2016, 2017]
    assert sorted(m.ref for m in MILESTONES) == sorted(REFERENCES) == [10, 21, 22, 23, 24]
    assert "Heess N, Graves A, Kavukcuoglu K" in REFERENCES[21]
    assert "5998-6008" in REFERENCES[10] and "1412-1421" in REFERENCES[23]


def test_the_reference_text_lives_apart_from_the_figures():
    assert history.MILESTONES is history_data.MILESTONES
    assert history.REFERENCES is history_data.REFERENCES
    assert history.Milestone is history_data.Milestone
    source = open(history_data.__file__, encoding="utf-8").read()
    assert "matplotlib" not in source and "widgets" not in source


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


def test_grace_hopper_is_a_grey_photograph_from_matplotlib():
    photo = grace_hopper()
    assert photo.shape == (150, 128) and photo.dtype == np.float64
    assert 0 <= photo.min() < 0.1 and 0.9 < photo.max() <= 1
    full = grace_hopper(1)
    assert full.shape == (600, 512)
    np.testing.assert_allclose(photo[0, 0], full[:4, :4].mean(), atol=1e-12)
    assert grace_hopper(7).shape == (85, 73)
    with pytest.raises(ValueError, match="downsample must"):
        grace_hopper(0)
    with pytest.raises(TypeError, match="downsample"):
        grace_hopper(2.0)


def test_a_glimpse_of_the_photo_holds_as_many_values_as_one_of_the_digit():
    """Notebook 01's point about RAM: the cost of a glimpse does not grow with the image."""
    sizes = {glimpse(img, (img.shape[0] // 2, img.shape[1] // 2), patch=8, scales=4).size
             for img in (toy_digit(28), grace_hopper(), grace_hopper(1))}
    assert sizes == {4 * 8 * 8}


def test_glimpse_path_figure_marks_every_step():
    photo = grace_hopper()
    path = glimpse_path(photo, (0.0, 0.0), np.random.default_rng(0), steps=5, patch=8,
                        scales=4)
    fig = glimpse_path_figure(photo, path)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"$l_{t}$" for t in range(5)]
    assert len(ax.patches) == 5                            # one square per glimpse
    assert len(fig.axes) == 1 + 6                          # the photo, 3 x 2 glimpse panels
    assert fig.axes[1].images[0].get_array().shape == (64, 64)
    titles = [a.get_title() for a in fig.axes[1:6]]
    assert titles == [f"step {t}: seen at $l_{t}$" for t in range(5)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["$l_t$: where glimpse t looks", "mean from the location network"]


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_explorer_initial_state_is_drawn():
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    _, g = global_attention(HT[None], HS)
    np.testing.assert_allclose(e.global_line.get_ydata(), g[0])
    np.testing.assert_allclose(e.local_line.get_ydata(), e.weights(2))
    assert "D = 2" in e.ax.get_title()
    assert repr(e.widget) == repr(e) == ("LocalWindowExplorer(global and local-p weights at "
                                         "p_t = 4.30; slider D from 1 to 10)")


def test_the_live_widget_shows_the_first_picture_before_any_move():
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    canvas = e.explorer.live.view
    assert canvas in e.widget.children and e.slider in e.widget.children[0].children
    # The canvas already holds the picture of D = 2: nothing waits for a first move.
    assert canvas.background.startswith(b"\x89PNG")
    assert pixels(canvas.background).shape == (canvas.height_px, canvas.width_px, 3)
    assert canvas.background == e.png
    # It is the figure as matplotlib draws it (the still picture shows the same).
    np.testing.assert_array_equal(pixels(e.png), pixels(figure_png(e.figure)))


def test_a_slider_move_redraws_the_live_picture():
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    canvas = e.explorer.live.view
    sent = []
    canvas.observe(lambda change: sent.append(change["new"]), names="background")
    first = canvas.background
    e.slider.value = 5
    assert len(sent) == 1 and canvas.background == sent[0] != first
    assert "D = 5," in e.ax.get_title() and canvas.background == e.png
    e.slider.value = 2                          # back to the start: the same picture
    assert canvas.background == first


def test_display_shows_the_still_picture_then_the_widget(monkeypatch):
    e = local_window_explorer(HT, HS, position=4.3, half_width=2)
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    e._ipython_display_()
    assert shown[0].data == e.png and shown[1] is e.widget


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


# ---- the glossary, which moved from notebook 01 to notebook 00 ---------------------------
# (tests/test_glossary.py checks that it has a row for every term the notebooks define)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EDITIONS = (NOTEBOOKS, NOTEBOOKS / "zh-CN")


def markdown_of(name: str, folder: Path = NOTEBOOKS) -> str:
    cells = json.loads((folder / name).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("folder", EDITIONS, ids=("en", "zh-CN"))
def test_links_to_another_notebook_find_their_anchor(folder):
    """A link like 00_start_here.ipynb#glossary lands on an element with that id in the
    target (JupyterLab, nbconvert and GitHub all follow an explicit id; headings' own
    anchors differ between them), and notebook 01 links to the glossary, in both editions."""
    links = []
    for path in sorted(folder.glob("*.ipynb")):
        links += re.findall(r"\]\((\d\d_[a-z0-9_]+\.ipynb)#([^)\s]+)\)",
                            markdown_of(path.name, folder))
    assert ("00_start_here.ipynb", "glossary") in links
    for target, anchor in links:
        assert f'<a id="{anchor}"></a>' in markdown_of(target, folder), (target, anchor)


@pytest.mark.parametrize(("folder", "heading", "after"), [
    (NOTEBOOKS, "## Glossary · 术语表", "## Summary"),
    (NOTEBOOKS / "zh-CN", "## 术语表 · Glossary", "## 小结"),
], ids=("en", "zh-CN"))
def test_the_glossary_is_in_notebook_00_under_its_anchor(folder, heading, after):
    nb00 = markdown_of("00_start_here.ipynb", folder)
    nb01 = markdown_of("01_a_short_history.ipynb", folder)
    assert f'<a id="glossary"></a>\n\n{heading}' in nb00
    assert heading not in nb01 and "00_start_here.ipynb#glossary" in nb01
    glossary = nb00.split(heading)[1].split(after)[0]
    for term in ("基于注意力的卷积神经网络", "长距离依赖", "逐位置前馈网络", "软注意力 / 硬注意力",
                 "多头注意力", "掩蔽", "填充掩码", "因果掩码", "编码器 / 解码器", "上下文向量",
                 "温度", "缩放", "瓶颈", "强制教学", "嵌入", "丢弃法", "位置编码", "REINFORCE",
                 "annotation", "门控循环单元", "编码器-解码器", "d_model", "Glorot", "Masking",
                 "mask_zero", "softmax", "熵", "隐状态", "残差连接", "层规范化", "交叉注意力",
                 "循环注意力模型", "探索器"):
        assert term in glossary, term
