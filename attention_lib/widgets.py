"""Widget plumbing: matplotlib figures shown live in a browser canvas, and grids of
sliders that look like the matrices they edit.

How a figure reaches the front end: the static parts (axes, tick labels, colour bars,
titles) are drawn once by matplotlib's Agg renderer and sent as a PNG background; on
every update the kernel sends only a small frame, the heatmap cells and the numbers on
them in pixels, which the browser draws over the background on an HTML canvas the moment
it arrives (:class:`FigureCanvas`, an `anywidget <https://anywidget.dev>`_ whose
JavaScript is ``static/figure_canvas.js``, shipped with this package: nothing is loaded
from the network). No picture has to be encoded, loaded and decoded per move.

Two ways to repaint:

* :meth:`LiveFigure.render` redraws the whole figure with matplotlib (any figure; tens
  of milliseconds) and sends it as the background.
* :meth:`LiveFigure.paint` is the fast path for heatmaps: the cells of every registered
  ``AxesImage`` and every registered ``Text`` are sent as a frame. Nothing is laid out
  again, which is what makes a slider drag feel immediate.

``LiveFigure.png`` draws the same frame in numpy (cells filled, texts stamped with cached
DejaVu Sans glyph bitmaps): the still picture shown before the widget, which GitHub and
nbconvert show, and what the tests check.
"""

from __future__ import annotations

import functools
import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.image import AxesImage
from matplotlib.text import Text
from PIL import Image as PILImage

from ._checks import as_finite_scalar, as_float_array

_STATIC = Path(__file__).with_name("static")


def encode_png(rgb: np.ndarray) -> bytes:
    """Encode an (height, width, 3 or 4) uint8 array as PNG bytes (fast zlib level)."""
    img = PILImage.fromarray(np.ascontiguousarray(rgb[..., :3]), mode="RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def figure_png(fig: Figure) -> bytes:
    """Draw ``fig`` with Agg and return it as PNG bytes.

    Introduced in notebooks/02_what_is_attention.ipynb.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()))


class _GlyphCache:
    """Alpha bitmaps of short strings in DejaVu Sans (matplotlib's own font), cached."""

    def __init__(self, maxsize: int = 4096) -> None:
        self._font = get_font(findfont(FontProperties(family="DejaVu Sans")))
        self._cache: OrderedDict[tuple[str, float], tuple[np.ndarray, float]] = OrderedDict()
        self._maxsize = maxsize

    def bitmap(self, text: str, size_px: float) -> tuple[np.ndarray, float]:
        """Return (alpha (h, w) float32 in [0, 1], pixels from the bitmap's top row to
        the baseline)."""
        key = (text, round(size_px, 2))
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        font = self._font
        font.set_size(size_px, 72)  # size in points at 72 dpi == size in pixels
        font.set_text(text, 0.0)
        font.draw_glyphs_to_bitmap(antialiased=True)
        alpha = np.asarray(font.get_image(), dtype=np.float32) / 255.0
        above_baseline = alpha.shape[0] - font.get_descent() / 64.0
        self._cache[key] = (alpha, above_baseline)
        if len(self._cache) > self._maxsize:
            self._cache.popitem(last=False)
        return alpha, above_baseline


_GLYPHS: _GlyphCache | None = None


def _glyphs() -> _GlyphCache:
    global _GLYPHS
    if _GLYPHS is None:
        _GLYPHS = _GlyphCache()
    return _GLYPHS


class FigureCanvas(anywidget.AnyWidget):
    """The live picture of a :class:`LiveFigure`: an HTML canvas in the browser.

    ``background`` is the PNG of the figure's static parts (sent again only when the
    layout changes); ``frame`` lists the heatmap cells and the texts on them in canvas
    pixels (``{"rects": [[x, y, w, h, "#rrggbb"], ...], "texts": [[x, baseline, text,
    size_px, align, "#rrggbb"], ...]}``) and is sent on every update. The browser draws a
    frame the moment it arrives, with no picture to load and decode (see
    ``static/figure_canvas.js``): that is what keeps a slider move under 60 ms from key
    press to screen (benchmarks/browser_latency.py).
    """

    _esm = _STATIC / "figure_canvas.js"
    background = traitlets.Bytes(b"").tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    width_px = traitlets.Int(0).tag(sync=True)
    height_px = traitlets.Int(0).tag(sync=True)
    css_width = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("figure").tag(sync=True)


def _hex(rgb: Sequence[float]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb[:3]))


def _colour_hex(colour: object) -> str:
    """A matplotlib colour (a name, hex, an RGB(A) tuple or array) as #rrggbb."""
    try:
        return _named_colour_hex(colour)
    except TypeError:  # an array: not hashable, not cached
        return _hex(np.asarray(to_rgb(colour)) * 255.0 + 0.5)


@functools.lru_cache(maxsize=256)
def _named_colour_hex(colour: object) -> str:
    return _hex(np.asarray(to_rgb(colour)) * 255.0 + 0.5)


class LiveFigure:
    """A matplotlib ``Figure`` shown live in a :class:`FigureCanvas`.

    ``fast_images`` and ``fast_texts`` are the artists that change on every update; they
    are marked animated (left out of the background) and :meth:`paint` sends them as a
    frame the browser draws over the background: images as flat colour cells (no
    interpolation: one cell per matrix entry, as ``imshow(..., interpolation="nearest")``
    shows them), texts with their colour, size and alignment (no rotation). Change their
    data with the usual matplotlib calls (``set_data``, ``set_clim``, ``set_text``,
    ``set_color``, ``set_visible``), then call :meth:`paint`. :meth:`render` draws the
    whole figure with matplotlib instead (any figure).

    ``png`` is the current picture as PNG bytes, made on demand from the same frame (the
    still picture shown before the widget, and what the tests look at).

    The pixel geometry (cell edges, text anchors) is cached: a change of layout (axes
    limits, figure size, tick labels) needs :meth:`refresh_background`, which draws the
    static parts again and forgets the geometry; moving a text or changing an image's
    extent or shape is noticed by itself.

    Introduced in notebooks/03_three_stage_computation.ipynb.
    """

    def __init__(self, fig: Figure, *, fast_images: Sequence[AxesImage] = (),
                 fast_texts: Sequence[Text] = (), width: str | None = None,
                 alt: str = "figure") -> None:
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
        self.figure = fig
        self.canvas = FigureCanvasAgg(fig)
        self.fast_images = list(fast_images)
        self.fast_texts = list(fast_texts)
        for artist in [*self.fast_images, *self.fast_texts]:
            artist.set_animated(True)
        self._frame: dict = {"rects": [], "texts": []}
        self.view = FigureCanvas(css_width=width or "", alt=alt, frame=self._frame)
        self._background: np.ndarray | None = None
        self._png: bytes | None = None
        # Pixel geometry of cells and text anchors, valid until the layout changes.
        self._geometry: dict[tuple, object] = {}

    @property
    def png(self) -> bytes:
        """The picture as last painted or rendered, as PNG bytes (b"" before the first)."""
        if self._png is None:
            if self._background is None:
                return b""
            self._png = encode_png(self.rasterize(self._frame))
        return self._png

    # -- slow path ---------------------------------------------------------------------
    def render(self) -> None:
        """Redraw the whole figure with matplotlib (fast artists drawn too) and show it."""
        for artist in [*self.fast_images, *self.fast_texts]:
            artist.set_animated(False)
        try:
            self.canvas.draw()
            rgb = np.array(np.asarray(self.canvas.buffer_rgba())[..., :3])
        finally:
            for artist in [*self.fast_images, *self.fast_texts]:
                artist.set_animated(True)
        self._show(rgb, {"rects": [], "texts": []})
        if self.fast_images or self.fast_texts:
            # The next paint() needs the background without the fast artists.
            self._background = None

    def _show(self, background: np.ndarray, frame: dict) -> None:
        self._geometry.clear()
        png = encode_png(background)
        h, w = background.shape[:2]
        self._background, self._frame = background, frame
        self._png = png if not (frame["rects"] or frame["texts"]) else None
        with self.view.hold_sync():
            self.view.width_px, self.view.height_px = w, h
            self.view.background = png
            self.view.frame = frame

    # -- fast path ---------------------------------------------------------------------
    def refresh_background(self) -> None:
        """Draw the static parts again (after changing a tick label or a title)."""
        self.canvas.draw()  # animated artists are skipped
        rgb = np.array(np.asarray(self.canvas.buffer_rgba())[..., :3])
        self._show(rgb, self._frame)

    def _cells(self, im: AxesImage, rows: int, cols: int, height: int) -> list[tuple]:
        """(row, col, x, y, w, h) of every visible cell, in canvas pixels. Geometry only:
        cached until the layout changes (refresh_background() or render())."""
        key = ("cells", id(im), rows, cols, tuple(im.get_extent()), im.origin)
        cells = self._geometry.get(key)
        if cells is not None:
            return cells
        x0, x1, y0, y1 = im.get_extent()
        # Cell edges in display pixels; display y grows upwards, canvas rows downwards.
        trans = im.axes.transData
        xs = trans.transform(np.column_stack([np.linspace(x0, x1, cols + 1),
                                              np.full(cols + 1, y0)]))[:, 0]
        # Row 0 sits at the top (y1) for origin="upper", at the bottom (y0) otherwise.
        first, last = (y1, y0) if im.origin == "upper" else (y0, y1)
        ys = trans.transform(np.column_stack([np.full(rows + 1, x0),
                                              np.linspace(first, last, rows + 1)]))[:, 1]
        px = np.round(xs).astype(int)
        py = np.round(height - ys).astype(int)
        # Keep the axes frame: paint strictly inside the axes box.
        bx0, by0, bx1, by1 = im.axes.bbox.extents
        left, right = int(np.ceil(bx0)) + 1, int(np.floor(bx1)) - 1
        top, bottom = int(np.ceil(height - by1)) + 1, int(np.floor(height - by0)) - 1
        cells = []
        for i in range(rows):
            r0, r1 = sorted((int(py[i]), int(py[i + 1])))
            r0, r1 = max(r0, top), min(r1, bottom)
            for j in range(cols):
                c0, c1 = sorted((int(px[j]), int(px[j + 1])))
                c0, c1 = max(c0, left), min(c1, right)
                if r1 > r0 and c1 > c0:
                    cells.append((i, j, c0, r0, c1 - c0, r1 - r0))
        self._geometry[key] = cells
        return cells

    def _image_rects(self, im: AxesImage, height: int) -> list[list]:
        if not im.get_visible():
            return []
        data = im.get_array()
        rows, cols = data.shape[:2]
        colours = np.asarray(im.to_rgba(data, bytes=True))[..., :3]
        hexes = [[_hex(c) for c in row] for row in colours.tolist()]
        return [[x, y, w, h, hexes[i][j]]
                for i, j, x, y, w, h in self._cells(im, rows, cols, height)]

    def _text_lines(self, t: Text, height: int) -> list[list]:
        s = t.get_text()
        if not t.get_visible() or not s:
            return []
        key = ("text", id(t), t.get_position(), t.get_fontsize())
        anchor = self._geometry.get(key)
        if anchor is None:
            x, y = t.get_transform().transform(t.get_position())
            anchor = self._geometry[key] = (
                float(x), float(height - y), t.get_fontsize() * self.figure.dpi / 72.0)
        x, y, size_px = anchor
        lines = s.split("\n")
        line_step = 1.2 * size_px
        cap = 0.73 * size_px  # height of a digit above the baseline
        block = cap + line_step * (len(lines) - 1)
        va = t.get_verticalalignment()
        first = {"center": y - block / 2 + cap, "top": y + cap,
                 "bottom": y - block + cap}.get(va, y - block + cap)
        ha = t.get_horizontalalignment()
        colour = _colour_hex(t.get_color())
        return [[round(x, 2), round(first + n * line_step, 2), line, round(size_px, 2),
                 ha if ha in ("left", "right") else "center", colour]
                for n, line in enumerate(lines) if line]

    def frame(self) -> dict:
        """The fast artists as the browser draws them: cells and text lines in pixels."""
        if self._background is None:
            self.refresh_background()
        assert self._background is not None
        height = self._background.shape[0]
        rects = [r for im in self.fast_images for r in self._image_rects(im, height)]
        texts = [line for t in self.fast_texts for line in self._text_lines(t, height)]
        return {"rects": rects, "texts": texts}

    def paint(self) -> None:
        """Send the fast artists' new frame to the browser (the background stays)."""
        frame = self.frame()
        self._frame, self._png = frame, None
        self.view.frame = frame

    def rasterize(self, frame: dict) -> np.ndarray:
        """The picture the browser draws for ``frame``, drawn in numpy (RGB uint8): the
        background, the cells, then the texts stamped in DejaVu Sans."""
        assert self._background is not None
        buf = self._background.copy()
        for x, y, w, h, colour in frame["rects"]:
            buf[y:y + h, x:x + w] = np.array(to_rgb(colour)) * 255.0 + 0.5
        for x, baseline, text, size_px, ha, colour in frame["texts"]:
            self._stamp(buf, text, size_px, x, baseline, ha,
                        np.asarray(to_rgb(colour), dtype=np.float32) * 255.0)
        return buf

    @staticmethod
    def _stamp(buf: np.ndarray, s: str, size_px: float, x: float, baseline: float,
               ha: str, colour: np.ndarray) -> None:
        alpha, above = _glyphs().bitmap(s, size_px)
        h, w = alpha.shape
        left = x - w / 2 if ha == "center" else (x - w if ha == "right" else x)
        top = int(round(baseline - above))
        left = int(round(left))
        r0, c0 = max(top, 0), max(left, 0)
        r1, c1 = min(top + h, buf.shape[0]), min(left + w, buf.shape[1])
        if r1 <= r0 or c1 <= c0:
            return
        a = alpha[r0 - top:r1 - top, c0 - left:c1 - left, None]
        patch = buf[r0:r1, c0:c1].astype(np.float32)
        buf[r0:r1, c0:c1] = (patch * (1.0 - a) + colour * a + 0.5).astype(np.uint8)


def slider_grid(matrix: np.ndarray, name: str, *, limits: tuple[float, float] = (-5.0, 5.0),
                step: float = 0.1, width: str = "120px"
                ) -> tuple[widgets.GridBox, np.ndarray]:
    """A grid of ``FloatSlider`` laid out like ``matrix`` (rows x cols), one per entry.

    Returns (the GridBox, an object array (rows, cols) of the sliders).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    m = as_float_array(matrix, name, min_ndim=2)
    if m.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix (rows, features); got shape {m.shape}")
    lo = as_finite_scalar(limits[0], "limits[0]")
    hi = as_finite_scalar(limits[1], "limits[1]")
    if not lo < hi:
        raise ValueError(f"limits must be (low, high) with low < high; got {limits}")
    step = as_finite_scalar(step, "step")
    if not 0 < step <= hi - lo:
        raise ValueError(f"step must be positive and at most high - low; got {step}")
    outside = np.argwhere((m < lo) | (m > hi))
    if outside.size:
        where = tuple(int(i) for i in outside[0])
        raise ValueError(f"{name} has {m[where]:g} at index {where}, outside the slider "
                         f"range [{lo:g}, {hi:g}] (shape {m.shape}); widen limits")
    rows, cols = m.shape
    sliders = np.empty((rows, cols), dtype=object)
    for i in range(rows):
        for j in range(cols):
            sliders[i, j] = widgets.FloatSlider(
                value=float(m[i, j]), min=lo, max=hi, step=step, readout_format=".1f",
                continuous_update=True, description="",
                tooltip=f"{name}[{i}, {j}]",
                layout=widgets.Layout(width=width),
                style={"description_width": "0px"})
    box = widgets.GridBox(list(sliders.ravel()), layout=widgets.Layout(
        grid_template_columns=f"repeat({cols}, {width})", grid_gap="0px 4px"))
    return box, sliders


class _SummaryBox(widgets.VBox):
    """A VBox whose text form is one fixed line (what nbval compares, and what a reader
    without a widget front end sees), not the repr of every child."""

    def __init__(self, children: Sequence[widgets.Widget], summary: str) -> None:
        super().__init__(children)
        self._summary = summary

    def __repr__(self) -> str:
        return self._summary


def show_live(png: bytes, widget: widgets.Widget) -> None:
    """Display a still picture of the first state, then the live widget.

    The picture is what GitHub, nbviewer and ``jupyter nbconvert --to html`` show (they
    do not run widgets); with a kernel the live widget below it takes over, and the
    picture stays as the starting point to compare with.
    """
    from IPython.display import Image, display

    display(Image(data=png, format="png"))
    display(widget)


class FigureExplorer:
    """Controls above a figure that is redrawn on every change.

    ``update(**values)`` receives the current value of every control (by its key in
    ``controls``) and changes the figure's artists; the whole figure is then redrawn with
    matplotlib and sent as the canvas's picture. For small figures (a bar chart, a
    scatter) this is fast enough; the attention explorer uses the faster
    :meth:`LiveFigure.paint`.

    Displaying the explorer shows a still picture of the first state, then the live
    widget (see :func:`show_live`).
    Introduced in notebooks/02_what_is_attention.ipynb.
    """

    def __init__(self, fig: Figure, update: Callable[..., None],
                 controls: dict[str, widgets.ValueWidget], *, summary: str = "") -> None:
        if not callable(update):
            raise TypeError(f"update must be a function; got {type(update).__name__}")
        if not isinstance(controls, dict) or not controls:
            raise TypeError("controls must be a non-empty dict of name -> ipywidgets "
                            "control")
        for name, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"controls[{name!r}] must be an ipywidgets control with a "
                                f"value; got {type(control).__name__}")
        self.live = LiveFigure(fig)
        self.update_fn = update
        self.controls = controls
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.widget = _SummaryBox(
            [widgets.HBox(list(controls.values())), self.live.view],
            summary or f"FigureExplorer(controls: {', '.join(controls)})")
        self.refresh()

    def values(self) -> dict[str, object]:
        """The current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> bytes:
        """Call ``update`` with the current values and redraw; return the PNG bytes."""
        self.update_fn(**self.values())
        self.live.render()
        return self.live.png

    def _on_change(self, _change: object) -> None:
        self.refresh()

    def _ipython_display_(self) -> None:
        show_live(self.live.png, self.widget)
