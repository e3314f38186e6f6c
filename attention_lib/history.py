"""The figures and the local-attention slider of notebooks 01 and 08 (the history of attention,
2014 to 2017): the milestones on a time line, the glimpse sensor at work and the path of
its recurrent loop over a photograph, global against local-p weights.

The reference text (the milestones and the seed's references) is in
:mod:`attention_lib.history_data` and importable from here as before; the maths lives in
glimpse.py, local_attention.py, abcnn.py and multihead.py. This module draws, and reads
the one photograph the figures use from matplotlib's own sample data. It imports
matplotlib; ipywidgets only when the slider is made. The figures speak the language in use
(:mod:`attention_lib.i18n`), in a font that has Chinese (:func:`attention_lib.fonts.fit_fonts`).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import numpy as np
from matplotlib import cbook
from matplotlib import image as mpl_image
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from ._checks import check_int
from .fonts import fit_fonts
from .glimpse import GlimpsePath, glimpse, retina_view
from .history_data import MILESTONES, REFERENCES, Milestone
from .i18n import language, say
from .local_attention import global_attention, local_attention, local_window
from .widgets import ExplorerView, FigureExplorer

__all__ = ["MILESTONES", "REFERENCES", "LocalWindowExplorer", "Milestone", "draw_timeline",
           "glimpse_figure", "glimpse_path_figure", "grace_hopper", "local_window_explorer"]


#: Where a line of Chinese may not break: before closing punctuation, after opening.
_NO_BREAK_BEFORE = "，。、；：！？）》」』”’·"
_NO_BREAK_AFTER = "（《「『“‘"


def _wrap_zh(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a Chinese character takes two, as
    on a terminal), breaking at its newlines first (where the words allow), then, in a
    line still too wide, between Chinese characters or at spaces (not at no-break
    spaces), never inside a Latin word or number, before closing punctuation or after
    opening. A piece wider than ``width`` gets a line of its own."""
    if "\n" in text:
        return [line for part in text.split("\n") for line in _wrap_zh(part, width)]
    pieces = re.findall(r"[^ \t\u2e80-\uffef]+|[\u2e80-\uffef]|[ \t]+", text)
    lines: list[str] = []
    line = ""
    for i, piece in enumerate(pieces):
        if piece.isspace():
            line += " " if line else ""
            continue
        glued = piece in _NO_BREAK_BEFORE or (i > 0 and pieces[i - 1] in _NO_BREAK_AFTER)
        if line and not glued and _columns(line.rstrip()) + _columns(piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _columns(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _milestone_label(m: Milestone) -> str:
    """A milestone's box: who and the reference, the title, then the idea (in Chinese
    when it has one and Chinese is in use)."""
    if language() == "zh-CN" and m.idea_zh:
        who = m.who.replace(" et al.", " 等人")
        title = _wrap_zh(f"《{m.title_zh}》", 26) if m.title_zh else textwrap.wrap(m.title, 24)
        return "\n".join([f"{who} [{m.ref}]", *title, "", *_wrap_zh(m.idea_zh, 26)])
    return "\n".join([f"{m.who} [{m.ref}]", *textwrap.wrap(m.title, 24), "",
                      *textwrap.wrap(m.idea, 26)])


def draw_timeline(ax: Axes, milestones: tuple[Milestone, ...] = MILESTONES) -> None:
    """Draw the milestones in order along a time line, each with its year, reference
    and one-line idea; boxes alternate above and below the line so none overlap.

    In Chinese a milestone shows its ``title_zh`` and ``idea_zh`` when it has them.
    Introduced in notebooks/01_a_short_history.ipynb.
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
        ax.text(i, 0.34 if up else -0.34, _milestone_label(m), ha="center",
                va="bottom" if up else "top", fontsize=8.5,
                bbox=dict(boxstyle="round", fc="white", ec=f"C{i}"))
    ax.set_xlim(-0.75, n - 0.25)
    ax.set_ylim(-1.0, 1.0)
    ax.axis("off")
    ax.set_title(say("Attention, 2014 to 2017: the seed's five milestones",
                     "注意力，2014 年至 2017 年：原文的五个里程碑"))
    fit_fonts(ax)


def glimpse_figure(image: ArrayLike, center: Any, *, patch: int = 8,
                   scales: int = 3) -> Figure:
    """The glimpse sensor at work: the image with each scale's square, every scale as the
    network receives it (patch x patch), and the image as the retina sees it.

    Shapes: image (H, W), center (row, col). Returns a new Figure (not shown by pyplot).
    Introduced in notebooks/01_a_short_history.ipynb.
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
        axes[s + 1].set_title(say(f"scale {s}: {side}x{side} px\nshrunk to {patch}x{patch}",
                                  f"尺度 {s}：{side}x{side} 像素\n缩小到 {patch}x{patch}"),
                              fontsize=9, color=f"C{s + 1}")
    axes[0].plot(col, row, "r+", ms=10)
    axes[0].set_xlim(-0.5, img.shape[1] - 0.5)
    axes[0].set_ylim(img.shape[0] - 0.5, -0.5)
    axes[0].set_title(say("image and glimpse squares", "图像和各个瞥视正方形"), fontsize=9)
    axes[-1].imshow(seen, cmap="gray", vmin=0, vmax=1)
    axes[-1].set_title(say("what the retina sees", "视网膜看到的样子"), fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fit_fonts(fig)
    return fig


def grace_hopper(downsample: int = 4) -> np.ndarray:
    """Grace Hopper's portrait, the photograph that ships with matplotlib
    (``matplotlib.cbook.get_sample_data("grace_hopper.jpg")``: nothing is downloaded), as
    grey-scale floats in [0, 1], shrunk by averaging ``downsample`` x ``downsample`` blocks.

    Grey is the luma 0.299 R + 0.587 G + 0.114 B. Shapes: the photograph is 600 x 512
    pixels; returns (600 // downsample, 512 // downsample).
    Introduced in notebooks/01_a_short_history.ipynb.
    """
    f = check_int(downsample, "downsample", minimum=1, maximum=512)
    path = str(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    rgb = np.asarray(mpl_image.imread(path), dtype=np.float64)[..., :3] / 255
    grey = np.clip(rgb @ np.array([0.299, 0.587, 0.114]), 0.0, 1.0)
    h, w = grey.shape[0] // f, grey.shape[1] // f
    return grey[:h * f, :w * f].reshape(h, f, w, f).mean(axis=(1, 3))


def _retina_square(g: np.ndarray) -> np.ndarray:
    """One glimpse (scales, patch, patch) as the retina sees it: every scale blown back up
    to its true size, finer scales on top; the widest square, patch * 2**(scales - 1)."""
    scales, patch, _ = g.shape
    side = patch * 2 ** (scales - 1)
    canvas = np.zeros((side, side))
    for s in reversed(range(scales)):
        f = 2 ** s
        start = (side - patch * f) // 2
        canvas[start:start + patch * f, start:start + patch * f] = np.kron(g[s], np.ones((f, f)))
    return canvas


def glimpse_path_figure(image: ArrayLike, path: GlimpsePath) -> Figure:
    """Where the recurrent loop looked: the image with each glimpse location l_t (its
    sharpest square, labelled in order) and each mean the location network gave (x, with
    a dotted line to the location sampled around it); beside it, every glimpse as the
    retina saw it (sharp at the centre, coarser outwards).

    Shapes: image (H, W); ``path`` from :func:`attention_lib.glimpse.glimpse_path` on it.
    Returns a new Figure (not shown by pyplot).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    img = np.asarray(image, dtype=float)
    steps, _, patch, _ = path.glimpses.shape
    cols = (steps + 1) // 2
    fig = Figure(figsize=(4.6 + 1.5 * cols, 4.4), layout="constrained")
    grid = fig.add_gridspec(2, 2 + cols)
    ax = fig.add_subplot(grid[:, :2])
    panels = [fig.add_subplot(grid[r, 2 + c]) for r in range(2) for c in range(cols)]
    ax.imshow(img, cmap="gray", vmin=0, vmax=1)
    rows, cols_px = path.pixels[:, 0], path.pixels[:, 1]
    ax.plot(cols_px, rows, "-", color="gold", lw=1.5, zorder=2)
    h, w = img.shape
    for t, (r, c) in enumerate(path.pixels):
        color = f"C{t % 10}"
        ax.add_patch(Rectangle((c - patch // 2 - 0.5, r - patch // 2 - 0.5), patch, patch,
                               fill=False, ec=color, lw=2, zorder=3))
        ax.text(c + patch / 2 + 1, r - patch / 2 - 1, f"$l_{t}$", color=color, fontsize=11,
                fontweight="bold", zorder=4,
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7))
        if t > 0:
            m_row, m_col = (path.means[t - 1] + 1) / 2 * (np.array([h, w]) - 1)
            ax.plot([m_col, c], [m_row, r], ":", color=color, lw=1.5, zorder=3)
            ax.plot(m_col, m_row, "x", color=color, ms=8, mew=2, zorder=4)
        shown = panels[t]
        shown.imshow(_retina_square(path.glimpses[t]), cmap="gray", vmin=0, vmax=1)
        shown.set_title(say(f"step {t}: seen at $l_{t}$", f"第 {t} 步：在 $l_{t}$ 处看到"),
                        fontsize=9, color=color)
    for unused in panels[steps:]:
        unused.axis("off")
    ax.plot([], [], "s", mfc="none", mec="0.2",
            label=say("$l_t$: where glimpse t looks", "$l_t$：第 t 次瞥视看向的位置"))
    ax.plot([], [], "x", color="0.2",
            label=say("mean from the location network", "位置网络给出的均值"))
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_title(say(f"{steps} glimpses: each $l_{{t+1}}$ sampled around a mean",
                     f"{steps} 次瞥视：每个 $l_{{t+1}}$ 都在一个均值周围采样"), fontsize=10)
    for a in (ax, *panels):
        a.set_xticks([])
        a.set_yticks([])
    fit_fonts(fig)
    return fig


def _draw_window(ax: Axes, global_w: np.ndarray, local_w: np.ndarray, position: float,
                 half_width: int) -> tuple[Line2D, Line2D, Rectangle]:
    s = np.arange(len(global_w))
    span = Rectangle((position - half_width, 0), 2 * half_width, 1.05, color="C1",
                     alpha=0.12, lw=0)
    ax.add_patch(span)
    g_line, = ax.plot(s, global_w, "o-", color="C0",
                      label=say("global: every position", "全局：所有位置"))
    l_line, = ax.plot(s, local_w, "s-", color="C1",
                      label=say("local-p: window only", "local-p：只在窗口内"))
    ax.axvline(position, color="C3", ls="--", lw=1, label=f"p_t = {position:.2f}")
    ax.set_xlim(-0.5, len(global_w) - 0.5)
    ax.set_ylim(0, 1.05)
    ax.set_xticks(s)
    ax.set_xlabel(say("source position s", "源位置 s"))
    ax.set_ylabel(say("attention weight", "注意力权重"))
    ax.legend(loc="upper right", fontsize=8)
    fit_fonts(ax)
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
            summary=say(f"LocalWindowExplorer(global and local-p weights at p_t = "
                        f"{self.position:.2f}; slider D from 1 to {max_half_width})",
                        f"LocalWindowExplorer（p_t = {self.position:.2f} 处的全局与 local-p "
                        f"权重；滑块 D 从 1 到 {max_half_width}）"))
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
        title = self.ax.set_title(
            say(f"D = {d}, sigma = D/2 = {d / 2:g}: local-p uses {inside} of "
                f"{len(w)} source positions",
                f"D = {d}，sigma = D/2 = {d / 2:g}：local-p 用到 {len(w)} 个源位置中的 "
                f"{inside} 个"), fontsize=10)
        fit_fonts(title)



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
    Introduced in notebooks/08_the_papers_in_code.ipynb.
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
