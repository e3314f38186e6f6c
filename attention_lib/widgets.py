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

``LiveFigure.png`` is matplotlib drawing the whole figure as its artists are now (the
fast ones included): the still picture shown before the widget, which GitHub and
nbconvert show, and what the tests check. It is made on demand, never per move.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Text
from PIL import Image as PILImage

from ._checks import as_finite_scalar, as_float_array
from .i18n import say

_STATIC = Path(__file__).with_name("static")
#: How many text strings a LiveFigure remembers the line layout of (cleared when full).
_LAYOUT_CACHE_SIZE = 20_000


def encode_png(rgb: np.ndarray) -> bytes:
    """Encode an (height, width, 3 or 4) uint8 array as PNG bytes (fast zlib level)."""
    img = PILImage.fromarray(np.ascontiguousarray(rgb[..., :3]), mode="RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def figure_png(fig: Figure) -> bytes:
    """Draw ``fig`` with Agg and return it as PNG bytes."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()))


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


def _hex(rgb: Sequence[float] | np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb[:3]))


def _colour_hex(colour: Any) -> str:
    """A matplotlib colour (a name, hex, an RGB(A) tuple or array) as #rrggbb."""
    try:
        return _named_colour_hex(colour)
    except TypeError:  # an array: not hashable, not cached
        return _hex(np.asarray(to_rgb(colour)) * 255.0 + 0.5)


@functools.lru_cache(maxsize=256)
def _named_colour_hex(colour: Any) -> str:
    return _hex(np.asarray(to_rgb(colour)) * 255.0 + 0.5)


class LiveFigure:
    """A matplotlib ``Figure`` shown live in a :class:`FigureCanvas`.

    ``fast_images`` and ``fast_texts`` are the artists that change on every update; they
    are marked animated (left out of the background) and :meth:`paint` sends them as a
    frame the browser draws over the background: images as flat colour cells (no
    interpolation: one cell per matrix entry, as ``imshow(..., interpolation="nearest")``
    shows them), texts with their colour, size and alignment (no rotation, no wrapping;
    the lines of a multi-line text aligned like the text). Change their data with the
    usual matplotlib calls (``set_data``, ``set_clim``, ``set_text``, ``set_color``,
    ``set_visible``), then call :meth:`paint`. :meth:`render` draws the whole figure with
    matplotlib instead (any figure).

    ``png`` is the current picture as PNG bytes, drawn on demand by matplotlib itself
    (every artist, the fast ones included): the still picture shown before the widget,
    and what the tests look at. It is never made on the per-move path.

    The pixel geometry (cell edges, text anchors) is cached: a change of layout (axes
    limits, figure size, tick labels) or of a fast text's font (other than its size)
    needs :meth:`refresh_background`, which draws the static parts again and forgets the
    geometry; moving a text or changing an image's extent or shape is noticed by itself.
    """

    def __init__(self, fig: Figure, *, fast_images: Sequence[AxesImage] = (),
                 fast_texts: Sequence[Text] = (), width: str | None = None,
                 alt: str | None = None) -> None:
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
        if alt is None:
            alt = say("figure", "图")
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
        self._geometry: dict[tuple, Any] = {}
        # Where matplotlib puts the baselines of a text's lines, relative to its anchor
        # (see _baselines): by string, and by the strings' ink extents.
        self._baselines_by_text: dict[tuple, tuple[float, ...]] = {}
        self._baselines_by_ink: dict[tuple, tuple[float, ...]] = {}
        self._glyph_ink: dict[tuple, tuple[float, float]] = {}

    @property
    def png(self) -> bytes:
        """The figure as its artists are now, drawn by matplotlib, as PNG bytes (b""
        before the first paint or render). Made on demand (tens of milliseconds) and kept
        until the next paint, render or refresh_background."""
        if self._png is None:
            if self._background is None:
                return b""
            self._png = encode_png(self._draw_everything())
        return self._png

    def _draw_everything(self) -> np.ndarray:
        """The whole figure drawn by matplotlib, fast artists included (RGB uint8)."""
        fast = [*self.fast_images, *self.fast_texts]
        for artist in fast:
            artist.set_animated(False)
        try:
            self.canvas.draw()
            return np.array(np.asarray(self.canvas.buffer_rgba())[..., :3])
        finally:
            for artist in fast:
                artist.set_animated(True)

    # -- slow path ---------------------------------------------------------------------
    def render(self) -> None:
        """Redraw the whole figure with matplotlib (fast artists drawn too) and show it."""
        rgb = self._draw_everything()
        png = self._show(rgb, {"rects": [], "texts": []})
        self._png = png  # the background is the whole picture
        if self.fast_images or self.fast_texts:
            # The next paint() needs the background without the fast artists.
            self._background = None

    def _show(self, background: np.ndarray, frame: dict) -> bytes:
        """Send ``background`` (RGB) and ``frame`` to the canvas; return the PNG sent."""
        self._geometry.clear()
        png = encode_png(background)
        h, w = background.shape[:2]
        self._background, self._frame, self._png = background, frame, None
        with self.view.hold_sync():
            self.view.width_px, self.view.height_px = w, h
            self.view.background = png
            self.view.frame = frame
        return png

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
        cached = self._geometry.get(key)
        if cached is not None:
            return cached
        x0, x1, y0, y1 = im.get_extent()
        # Cell edges in display pixels; display y grows upwards, canvas rows downwards.
        trans = im.axes.transData
        xs = trans.transform(np.column_stack([np.linspace(x0, x1, cols + 1),
                                              np.full(cols + 1, y0)]))[:, 0]
        # Row 0 sits at the top (y1) for origin="upper", at the bottom (y0) otherwise.
        first, last = (y1, y0) if im.origin == "upper" else (y0, y1)
        ys = trans.transform(np.column_stack([np.full(rows + 1, x0),
                                              np.linspace(first, last, rows + 1)]))[:, 1]
        # A pixel belongs to the cell its centre lies in, as in matplotlib's resampling.
        px = np.round(xs).astype(int)
        py = np.round(height - ys).astype(int)
        left, top, right, bottom = self._inside_spines(im.axes, height)
        cells: list[tuple[int, int, int, int, int, int]] = []
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

    def _inside_spines(self, ax: Axes, height: int) -> tuple[int, int, int, int]:
        """The pixels (left, top, right, bottom; right and bottom exclusive) inside the
        frame of ``ax``, where its image shows. Read from the background, where
        matplotlib drew the frame: from each edge of the axes box inwards, past the frame's
        line to the first pixel of the axes' face colour (within a few pixels of the edge;
        without a frame line there, the edge itself)."""
        assert self._background is not None
        bg = self._background
        rows, cols = bg.shape[:2]
        bx0, by0, bx1, by1 = ax.bbox.extents
        x0, x1 = max(int(np.floor(bx0)), 0), min(int(np.ceil(bx1)), cols) - 1
        y0, y1 = max(int(np.floor(height - by1)), 0), min(int(np.ceil(height - by0)), rows) - 1
        if x1 <= x0 or y1 <= y0:
            return x0, y0, x0, y0
        face = (np.asarray(to_rgb(ax.get_facecolor())) * 255.0 + 0.5).astype(np.uint8)
        across, down = bg[(y0 + y1) // 2], bg[:, (x0 + x1) // 2]

        def inwards(line: np.ndarray, start: int, step: int) -> int:
            on_frame = False
            for i in range(start, start + 6 * step, step):
                if not 0 <= i < len(line):
                    break
                is_face = bool((line[i] == face).all())
                if on_frame and is_face:
                    return i
                on_frame = on_frame or not is_face
            return start

        return (inwards(across, x0, 1), inwards(down, y0, 1),
                inwards(across, x1, -1) + 1, inwards(down, y1, -1) + 1)

    def _image_rects(self, im: AxesImage, height: int) -> list[list]:
        if not im.get_visible():
            return []
        data = im.get_array()
        if data is None:
            return []
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
                float(x), float(height - y),
                round(t.get_fontproperties().get_size_in_points() * self.figure.dpi / 72.0, 2),
                self._font_key(t))
        x, y, size_px, font = anchor
        layout_key = (font, t.get_verticalalignment(), s)
        baselines = self._baselines_by_text.get(layout_key)
        if baselines is None:
            baselines = self._baselines(t, layout_key)
        ha = t.get_horizontalalignment()
        align = ha if ha in ("left", "right") else "center"
        colour = _colour_hex(t.get_color())
        return [[round(x, 2), round(y + dy, 2), line, size_px, align, colour]
                for line, dy in zip(s.split("\n"), baselines, strict=False) if line]

    def _font_key(self, t: Text) -> tuple:
        """What the layout of ``t``'s lines depends on besides its string and vertical
        alignment: its font, the figure's dpi and the line spacing."""
        # Older matplotlib has no Text.get_linespacing, only the attribute behind it.
        spacing = (t.get_linespacing() if hasattr(t, "get_linespacing")
                   else vars(t).get("_linespacing"))
        return hash(t.get_fontproperties()), self.figure.dpi, spacing

    def _baselines(self, t: Text, layout_key: tuple) -> tuple[float, ...]:
        """Where matplotlib draws the baseline of each line of ``t``, in canvas pixels
        below its anchor: read from matplotlib's own text layout, so the browser's
        numbers sit where the still picture's do.

        Matplotlib's vertical layout of a text depends on its font, alignment, line
        spacing and on how far each line's ink reaches above and below the baseline,
        not on the letters themselves; and a line's ink is the union of its glyphs'.
        So the layout is computed once per ink shape ("0.25" and "0.31" share one) from
        the glyphs' extents, and remembered per string: a slider move costs a dict look-up
        per text, not a layout.
        """
        font, _va, s = layout_key
        renderer = self.canvas.get_renderer()
        ink_key = (*layout_key[:2], tuple(self._line_ink(t, line, font, renderer)
                                           for line in s.split("\n")))
        baselines = self._baselines_by_ink.get(ink_key)
        if baselines is None:
            _bbox, info, *_ = t._get_layout(renderer)  # type: ignore[attr-defined]
            # Each entry is (line, metrics, (x, y)) (matplotlib >= 3.11) or (line,
            # (w, h), x, y) (older), the offsets from the anchor in display pixels, y up.
            baselines = tuple(-float(np.ravel(entry[2:])[-1]) for entry in info)
            if len(self._baselines_by_ink) >= _LAYOUT_CACHE_SIZE:
                self._baselines_by_ink.clear()
            self._baselines_by_ink[ink_key] = baselines
        if len(self._baselines_by_text) >= _LAYOUT_CACHE_SIZE:
            self._baselines_by_text.clear()
        self._baselines_by_text[layout_key] = baselines
        return baselines

    def _line_ink(self, t: Text, line: str, font: tuple,
                  renderer: RendererAgg) -> tuple[float, float] | str | None:
        """(ascent, descent) in pixels of the ink of ``line`` in ``t``'s font: the
        largest over its glyphs; the line itself for mathtext or TeX (measured whole)."""
        if not line:
            return None
        if "$" in line or t.get_usetex():
            return line
        ascent = descent = -math.inf
        prop = t.get_fontproperties()
        for ch in line:
            ink = self._glyph_ink.get((font, ch))
            if ink is None:
                _, h, d = renderer.get_text_width_height_descent(ch, prop, ismath=False)
                ink = self._glyph_ink[(font, ch)] = (h - d, d)
            ascent, descent = max(ascent, ink[0]), max(descent, ink[1])
        return ascent, descent

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


def slider_grid(matrix: np.ndarray, name: str, *, limits: tuple[float, float] = (-5.0, 5.0),
                step: float = 0.1, width: str = "120px"
                ) -> tuple[widgets.GridBox, np.ndarray]:
    """A grid of ``FloatSlider`` laid out like ``matrix`` (rows x cols), one per entry.

    Returns (the GridBox, an object array (rows, cols) of the sliders).
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


class SummaryBox(widgets.VBox):
    """A VBox whose text form is one fixed line (what nbval compares, and what a reader
    without a widget front end sees), not the repr of every child."""

    def __init__(self, children: Sequence[widgets.Widget], summary: str) -> None:
        super().__init__(children)
        self._summary = summary

    def __repr__(self) -> str:
        return self._summary


#: The old private name, kept until every importer uses :class:`SummaryBox`.


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
        self.widget = SummaryBox(
            [widgets.HBox(list(controls.values())), self.live.view],
            summary or say(f"FigureExplorer(controls: {', '.join(controls)})",
                           f"FigureExplorer（控件：{'、'.join(controls)}）"))
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


class ExplorerView:
    """What every explorer built on a :class:`FigureExplorer` shows, written once: its
    picture as PNG bytes, the still picture then the live widget when displayed, and the
    widget's one-line summary as its text form. A subclass sets ``self.explorer``."""

    explorer: FigureExplorer

    @property
    def png(self) -> bytes:
        """The picture shown now, as PNG bytes."""
        return self.explorer.live.png

    def _ipython_display_(self) -> None:
        self.explorer._ipython_display_()

    def __repr__(self) -> str:
        return repr(self.explorer.widget)

