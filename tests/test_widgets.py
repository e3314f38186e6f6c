"""Widget plumbing: the fast painter, slider grids, the generic figure explorer."""

from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from attention_lib.widgets import FigureExplorer, LiveFigure, figure_png, slider_grid


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def heatmap_figure(data: np.ndarray) -> tuple[Figure, object, list]:
    fig = Figure(figsize=(3, 2), dpi=50)
    ax = fig.add_subplot()
    im = ax.imshow(data, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    texts = [ax.text(j, i, "", ha="center", va="center", color="red")
             for i in range(data.shape[0]) for j in range(data.shape[1])]
    return fig, im, texts


def draw_frame(background: np.ndarray, frame: dict) -> np.ndarray:
    """The frame's cells filled over the background, as the browser's canvas fills them
    (texts left out: the browser draws those with its own font rasteriser)."""
    buf = background.copy()
    for x, y, w, h, colour in frame["rects"]:
        buf[y:y + h, x:x + w] = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
    return buf


def test_png_is_matplotlib_drawing_the_whole_figure():
    data = np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 0.6]])
    fig, im, texts = heatmap_figure(data)
    texts[0].set_text("0.25")
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts)
    assert live.png == b""  # nothing shown yet
    live.paint()
    twin, _, twin_texts = heatmap_figure(data)  # the same figure, never animated
    twin_texts[0].set_text("0.25")
    np.testing.assert_array_equal(pixels(live.png), pixels(figure_png(twin)))
    live.render()  # the slow path shows the same picture
    np.testing.assert_array_equal(pixels(live.png), pixels(figure_png(twin)))


def test_the_frame_paints_the_cells_where_matplotlib_draws_them():
    rng = np.random.default_rng(0)
    fig = Figure(figsize=(4, 2.5), dpi=90, layout="constrained")
    images = [ax.imshow(rng.uniform(size=shape), cmap="viridis", interpolation="nearest",
                        aspect="auto") for ax, shape in zip(fig.subplots(1, 2),
                                                            [(2, 3), (3, 2)], strict=True)]
    live = LiveFigure(fig, fast_images=images)
    live.paint()
    still = pixels(live.png)
    canvas = draw_frame(live._background, live.view.frame)
    assert canvas.shape == still.shape
    differ = (np.abs(canvas.astype(int) - still).max(axis=-1) > 16).mean()
    assert differ < 0.002, f"{differ:.1%} of the pixels differ"
    for x, y, w, h, colour in live.view.frame["rects"]:  # every cell's colour is exact
        assert _hex_of(still[y + h // 2, x + w // 2]) == colour


def _hex_of(rgb: np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb))


@pytest.mark.parametrize("va", ["center", "top", "bottom", "baseline", "center_baseline"])
def test_text_baselines_are_where_matplotlib_puts_them(va):
    fig = Figure(figsize=(3, 2), dpi=90)
    ax = fig.add_subplot()
    texts = [ax.text(0.5, 0.5, "", ha=ha, va=va, fontsize=9, transform=ax.transAxes)
             for ha in ("center", "left", "right")]
    texts.append(fig.text(0.01, 0.02, "", va=va, fontsize=11))
    live = LiveFigure(fig, fast_texts=texts)
    renderer = live.canvas.get_renderer()
    for s in ["0.25", "−1.23", "masked", "pad", "gy·", "−", "(scale s = 1.00) · key own",
              "Keras's Attention has\nno cosine score mode:\nnothing to compare",
              "a\n\nb"]:
        for t in texts:
            t.set_text(s)
        live.paint()
        sent = iter(live.view.frame["texts"])
        height = live.view.height_px
        for t in texts:
            # Matplotlib's own layout: each line's baseline offset from the anchor.
            _, info, *_ = t._get_layout(renderer)
            anchor_y = t.get_transform().transform(t.get_position())[1]
            for entry in info:
                if not entry[0]:
                    continue
                x, baseline, text, *_ = next(sent)
                assert text == entry[0]
                expected = height - (anchor_y + float(np.ravel(entry[2:])[-1]))
                assert baseline == pytest.approx(expected, abs=0.01), (s, va, t)


def test_digits_sit_on_the_baseline_matplotlib_draws():
    fig = Figure(figsize=(2, 1), dpi=100)
    text = fig.text(0.5, 0.5, "0.00", ha="center", va="center", fontsize=20)
    live = LiveFigure(fig, fast_texts=[text])
    live.paint()
    [[_, baseline, *_]] = live.view.frame["texts"]
    ink_rows = np.flatnonzero((pixels(live.png) < 128).any(axis=(1, 2)))
    assert abs(ink_rows.max() + 1 - baseline) <= 1  # the bottom of the zeros


def test_a_move_sends_a_frame_and_draws_no_picture():
    fig, im, texts = heatmap_figure(np.zeros((2, 2)))
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts)
    live.paint()
    draws = []
    live.canvas.draw = lambda *a, **k: draws.append(1)
    for value in (0.2, 0.4):
        im.set_data(np.full((2, 2), value))
        texts[0].set_text(f"{value:.2f}")
        live.paint()
    assert draws == []  # no matplotlib drawing, no PNG, on the fast path


def test_paint_follows_set_data_and_text():
    fig, im, texts = heatmap_figure(np.zeros((1, 1)))
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts)
    live.paint()
    dark = pixels(live.png)
    im.set_data(np.ones((1, 1)))
    live.paint()
    light = pixels(live.png)
    assert light.sum() > dark.sum()
    texts[0].set_text("0.50")
    live.paint()
    with_text = pixels(live.png)
    red = (with_text[..., 0] > 200) & (with_text[..., 1] < 80)
    assert red.any()  # the annotation is drawn in its colour
    # What the browser is sent: one white cell, and the text in red at the cell's centre.
    frame = live.view.frame
    assert [r[4] for r in frame["rects"]] == ["#ffffff"]
    [[x, baseline, text, size_px, align, colour]] = frame["texts"]
    assert (text, align, colour) == ("0.50", "center", "#ff0000")
    x_px, y_px, w_px, h_px = frame["rects"][0][:4]
    assert abs(x - (x_px + w_px / 2)) <= 1 and y_px < baseline < y_px + h_px


def test_the_canvas_is_sent_a_background_once_and_a_frame_per_paint():
    fig, im, texts = heatmap_figure(np.zeros((2, 3)))
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts, width="50%")
    sent = []
    live.view.observe(lambda change: sent.append(change["name"]),
                      names=["background", "frame"])
    live.paint()
    background = live.view.background
    assert background.startswith(b"\x89PNG")
    assert pixels(background).shape == (live.view.height_px, live.view.width_px, 3)
    assert live.view.css_width == "50%"
    for value in (0.25, 0.5, 0.75):
        im.set_data(np.full((2, 3), value))
        live.paint()
    assert sent.count("background") == 1 and sent.count("frame") == 4
    assert len(live.view.frame["rects"]) == 6  # one per matrix entry
    assert live.view.background == background  # the static parts were not sent again
    # A full redraw sends the whole picture as the background, with an empty frame.
    live.render()
    assert live.view.frame == {"rects": [], "texts": []}
    assert live.view.background == live.png != background


def test_a_new_layout_moves_the_cells_after_refresh_background():
    fig, im, texts = heatmap_figure(np.zeros((2, 2)))
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts)
    texts[0].set_text("a")
    live.paint()
    before = live.view.frame
    im.axes.set_xlim(-0.5, 3.5)  # the two columns now fill half the width
    live.refresh_background()
    live.paint()
    after = live.view.frame
    assert max(r[2] for r in after["rects"]) < min(r[2] for r in before["rects"])
    assert after["texts"][0][0] < before["texts"][0][0]  # the text moved left with its cell
    texts[0].set_position((1, 1))  # a moved text is noticed without a refresh
    live.paint()
    assert live.view.frame["texts"][0][0] > after["texts"][0][0]
    im.set_data(np.zeros((3, 2)))  # so is a new shape
    im.set_extent((-0.5, 1.5, 2.5, -0.5))
    live.paint()
    assert len(live.view.frame["rects"]) == 6


def test_the_canvas_script_ships_with_the_package():
    from attention_lib.widgets import FigureCanvas

    source = str(FigureCanvas._esm)
    assert "export default" in source and "http" not in source.replace("https://anywidget", "")


def test_paint_hides_invisible_artists():
    fig, im, texts = heatmap_figure(np.ones((1, 1)))
    live = LiveFigure(fig, fast_images=[im], fast_texts=texts)
    texts[0].set_text("x\ny")
    im.set_visible(False)
    texts[0].set_visible(False)
    live.paint()
    blank = pixels(live.png)
    assert (blank > 250).mean() > 0.8


def test_live_figure_needs_a_figure():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        LiveFigure("figure")


def test_figure_png():
    fig = Figure(figsize=(1, 1), dpi=20)
    assert figure_png(fig).startswith(b"\x89PNG")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        figure_png(None)


def test_slider_grid_looks_like_the_matrix():
    box, sliders = slider_grid(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, -5.0]]), "query")
    assert sliders.shape == (2, 3)
    assert sliders[1, 2].value == -5.0 and sliders[0, 1].value == 2.0
    assert box.layout.grid_template_columns.startswith("repeat(3,")
    assert list(box.children) == list(sliders.ravel())


def test_slider_grid_needs_a_matrix():
    with pytest.raises(ValueError, match=r"query must be a 2-D matrix.*\(1, 2, 2\)"):
        slider_grid(np.zeros((1, 2, 2)), "query")


def test_slider_grid_value_outside_limits():
    with pytest.raises(ValueError, match=r"key has 9 at index \(0, 1\)"):
        slider_grid([[0.0, 9.0]], "key")


def test_slider_grid_bad_limits():
    with pytest.raises(ValueError, match="limits"):
        slider_grid([[0.0]], "key", limits=(1.0, -1.0))


def test_slider_grid_bad_step():
    with pytest.raises(ValueError, match="step"):
        slider_grid([[0.0]], "key", step=0.0)


def _bars() -> tuple[Figure, object]:
    fig = Figure(figsize=(2, 2), dpi=40)
    bars = fig.add_subplot().bar([0, 1], [0.5, 0.5])
    return fig, bars


def test_figure_explorer_redraws_on_change():
    fig, bars = _bars()
    seen = []

    def update(a: float) -> None:
        seen.append(a)
        bars[0].set_height(a)

    slider = widgets.FloatSlider(value=0.2, min=0, max=1)
    ex = FigureExplorer(fig, update, {"a": slider}, summary="bars")
    first = ex.live.png
    slider.value = 0.9
    assert seen == [0.2, 0.9]
    assert bars[0].get_height() == 0.9 and ex.live.png != first
    assert repr(ex.widget) == "bars"


def test_figure_explorer_bad_update():
    fig, _ = _bars()
    with pytest.raises(TypeError, match="update must be a function"):
        FigureExplorer(fig, None, {"a": widgets.FloatSlider()})


def test_figure_explorer_bad_controls():
    fig, _ = _bars()
    with pytest.raises(TypeError, match="controls"):
        FigureExplorer(fig, lambda: None, {})
    with pytest.raises(TypeError, match=r"controls\['a'\]"):
        FigureExplorer(fig, lambda a: None, {"a": widgets.Button()})
