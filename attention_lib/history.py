"""The figures and the local-attention slider of notebook 01 (the history of attention,
2014 to 2017): the milestones on a time line, the glimpse sensor at work, global against
local-p weights.

The reference text (the milestones and the seed's references) is in
:mod:`attention_lib.history_data` and importable from here as before; the maths lives in
glimpse.py, local_attention.py, abcnn.py and multihead.py. This module only draws. It
imports matplotlib; ipywidgets only when the slider is made.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from ._checks import check_int
from .glimpse import glimpse, retina_view
from .history_data import MILESTONES, REFERENCES, Milestone
from .local_attention import global_attention, local_attention, local_window
from .widgets import ExplorerView, FigureExplorer

__all__ = ["MILESTONES", "REFERENCES", "LocalWindowExplorer", "Milestone", "draw_timeline",
           "glimpse_figure", "local_window_explorer"]


def draw_timeline(ax: Axes, milestones: tuple[Milestone, ...] = MILESTONES) -> None:
    """Draw the milestones in order along a time line, each with its year, reference
    and one-line idea; boxes alternate above and below the line so none overlap.

    Introduced in notebooks/01_history_of_attention.ipynb.
    """
    if not milestones:
        raise ValueError("milestones is empty; give at least one Milestone")
    n = len(milestones)
    ax.annotate("", xy=(n - 0.35, 0), xytext=(-0.65, 0),
                arrowprops=dict(arrowstyle="->", color="0.3", lw=2))
    for i, m in enumerate(milestones):
        up = i % 2 == 0
        ax.plot(i, 0, "o", color=f"C{i}", ms=11, zorder=3)
        ax.text(i, -0.09 if up else 0.09, str(m.year), ha="center",
                va="top" if up else "bottom", fontsize=11, fontweight="bold")
        ax.plot([i, i], [0, 0.32 if up else -0.32], color=f"C{i}", lw=1)
        label = "\n".join([f"{m.who} [{m.ref}]", *textwrap.wrap(m.title, 24), "",
                           *textwrap.wrap(m.idea, 26)])
        ax.text(i, 0.34 if up else -0.34, label, ha="center", va="bottom" if up else "top",
                fontsize=8.5, bbox=dict(boxstyle="round", fc="white", ec=f"C{i}"))
    ax.set_xlim(-0.75, n - 0.25)
    ax.set_ylim(-1.0, 1.0)
    ax.axis("off")
    ax.set_title("Attention, 2014 to 2017: the seed's five milestones")


def glimpse_figure(image: ArrayLike, center: Any, *, patch: int = 8,
                   scales: int = 3) -> Figure:
    """The glimpse sensor at work: the image with each scale's square, every scale as the
    network receives it (patch x patch), and the image as the retina sees it.

    Shapes: image (H, W), center (row, col). Returns a new Figure (not shown by pyplot).
    Introduced in notebooks/01_history_of_attention.ipynb.
    """
    g = glimpse(image, center, patch=patch, scales=scales)
    seen = retina_view(image, center, patch=patch, scales=scales)
    img = np.asarray(image, dtype=float)
    fig = Figure(figsize=(2.3 * (scales + 2), 2.6), layout="constrained")
    axes = fig.subplots(1, scales + 2)
    axes[0].imshow(img, cmap="gray", vmin=0, vmax=1)
    row, col = int(center[0]), int(center[1])
    for s in range(scales):
        side = patch * 2 ** s
        axes[0].add_patch(Rectangle((col - side // 2 - 0.5, row - side // 2 - 0.5), side,
                                    side, fill=False, ec=f"C{s + 1}", lw=2))
        axes[s + 1].imshow(g[s], cmap="gray", vmin=0, vmax=1)
        axes[s + 1].set_title(f"scale {s}: {side}x{side} px\nshrunk to {patch}x{patch}",
                              fontsize=9, color=f"C{s + 1}")
    axes[0].plot(col, row, "r+", ms=10)
    axes[0].set_xlim(-0.5, img.shape[1] - 0.5)
    axes[0].set_ylim(img.shape[0] - 0.5, -0.5)
    axes[0].set_title("image and glimpse squares", fontsize=9)
    axes[-1].imshow(seen, cmap="gray", vmin=0, vmax=1)
    axes[-1].set_title("what the retina sees", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def _draw_window(ax: Axes, global_w: np.ndarray, local_w: np.ndarray, position: float,
                 half_width: int) -> tuple[Line2D, Line2D, Rectangle]:
    s = np.arange(len(global_w))
    span = Rectangle((position - half_width, 0), 2 * half_width, 1.05, color="C1",
                     alpha=0.12, lw=0)
    ax.add_patch(span)
    g_line, = ax.plot(s, global_w, "o-", color="C0", label="global: every position")
    l_line, = ax.plot(s, local_w, "s-", color="C1", label="local-p: window only")
    ax.axvline(position, color="C3", ls="--", lw=1, label=f"p_t = {position:.2f}")
    ax.set_xlim(-0.5, len(global_w) - 0.5)
    ax.set_ylim(0, 1.05)
    ax.set_xticks(s)
    ax.set_xlabel("source position s")
    ax.set_ylabel("attention weight")
    ax.legend(loc="upper right", fontsize=8)
    return g_line, l_line, span


class LocalWindowExplorer(ExplorerView):
    """Global against local-p weights for one target step, with a slider for the window
    half-width D: a figure explorer (:class:`attention_lib.widgets.FigureExplorer`) like
    the other explorers of the collection.

    ``figure`` is the figure as it is now (displaying it shows a still picture);
    ``widget`` is the slider above the live picture, which shows the first state at once
    and is redrawn whenever the slider moves (:meth:`redraw` changes the artists, then
    the figure is drawn again); ``png`` is the picture as PNG bytes. Displaying the
    explorer itself shows the still picture, then the live widget.
    Made by :func:`local_window_explorer`.
    """

    def __init__(self, query: np.ndarray, value: np.ndarray, key: np.ndarray, *,
                 position: float, global_weights: np.ndarray, half_width: int,
                 max_half_width: int, options: dict[str, Any]) -> None:
        import ipywidgets

        self.query, self.value, self.key = query, value, key
        self.position, self.options = float(position), options
        self.figure = Figure(figsize=(7, 3.2), layout="constrained")
        self.ax = self.figure.subplots()
        self.global_line, self.local_line, self.window = _draw_window(
            self.ax, global_weights, self.weights(half_width), self.position, half_width)
        self.slider = ipywidgets.IntSlider(value=half_width, min=1, max=max_half_width,
                                           description="D", continuous_update=False)
        self.explorer = FigureExplorer(
            self.figure, self.redraw, {"half_width": self.slider},
            summary=f"LocalWindowExplorer(global and local-p weights at p_t = "
                    f"{self.position:.2f}; slider D from 1 to {max_half_width})")
        self.widget = self.explorer.widget

    def weights(self, half_width: int) -> np.ndarray:
        """Local-p weights (S,) of the explored target step for window half-width D."""
        _, w, _ = local_attention(self.query, self.value, self.key, half_width=half_width,
                                  positions=np.array([self.position]), **self.options)
        return w[0]

    def redraw(self, half_width: int) -> None:
        """The slider's callback: set the local weights, the window and the title for
        window half-width D = ``half_width`` (the explorer then draws the figure)."""
        d = int(half_width)
        w = self.weights(d)
        self.local_line.set_ydata(w)
        self.window.set_x(self.position - d)
        self.window.set_width(2 * d)
        inside = int(local_window(self.position, len(w), d).sum())
        self.ax.set_title(f"D = {d}, sigma = D/2 = {d / 2:g}: local-p uses {inside} of "
                          f"{len(w)} source positions", fontsize=10)



def local_window_explorer(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                          *, position: float, half_width: int = 2,
                          max_half_width: int | None = None, score_mode: str = "dot",
                          weight: ArrayLike | None = None,
                          v: ArrayLike | None = None) -> LocalWindowExplorer:
    """Compare global and local-p attention for one target state, with a slider for the
    window half-width D (1 to ``max_half_width``, default S).

    Shapes: query (d,) one target state; value (S, dv); key (S, d_s), defaults to value;
    ``position`` p_t in [0, S]. The figure and the live widget show the initial D at
    once; the slider's callback (:meth:`LocalWindowExplorer.redraw`) redraws them for
    every new D.
    Introduced in notebooks/01_history_of_attention.ipynb.
    """
    q = np.atleast_2d(np.asarray(query, dtype=float))
    if q.shape[0] != 1 or np.ndim(query) != 1:
        raise ValueError(f"query must be one target state, shape (d,); got shape "
                         f"{np.shape(query)}")
    val = np.asarray(value, dtype=float)
    k = val if key is None else np.asarray(key, dtype=float)
    options: dict[str, Any] = dict(score_mode=score_mode, weight=weight, v=v)
    _, g_w = global_attention(q, val, k, **options)
    s_len = g_w.shape[-1]
    top = s_len if max_half_width is None else max_half_width
    top = check_int(top, "max_half_width", minimum=1)
    # Checks position and half_width with local_attention's messages.
    _, _, p = local_attention(q, val, k, half_width=half_width,
                              positions=np.array([position]), **options)
    return LocalWindowExplorer(q, val, k, position=float(p[0]), global_weights=g_w[0],
                               half_width=half_width, max_half_width=int(top),
                               options=options)
