"""The history of attention, 2014 to 2017: the milestones and references of the seed
article, its glossary, and the figures and the local-attention slider of notebook 01.

The maths lives in glimpse.py, local_attention.py, abcnn.py and multihead.py; this
module only draws. It imports matplotlib; ipywidgets only when the slider is made.
"""

from __future__ import annotations

import dataclasses
import io
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
from .local_attention import global_attention, local_attention, local_window


@dataclasses.dataclass(frozen=True)
class Milestone:
    """One paper on the timeline: year, who, the seed's reference number, one idea."""

    year: int
    who: str
    ref: int
    title: str
    idea: str


#: The seed article's five milestones (section 1), in order.
MILESTONES = (
    Milestone(2014, "Mnih et al.", 21, "Recurrent models of visual attention",
              "look at a few glimpses, choosing where to look next (hard attention)"),
    Milestone(2014, "Bahdanau et al.", 22, "Jointly learning to align and translate",
              "additive attention: every source word scored by "
              "v^T\u00a0tanh(W_q\u00a0q\u00a0+\u00a0W_k\u00a0k)"),
    Milestone(2015, "Luong et al.", 23, "Effective approaches to attention-based NMT",
              "dot, general and concat scores; global (all words) vs local (a window)"),
    Milestone(2016, "Yin et al.", 24, "ABCNN",
              "an attention matrix between two sentences' CNN feature maps"),
    Milestone(2017, "Vaswani et al.", 10, "Attention is all you need",
              "self-attention alone, scaled dot products, many heads: the Transformer"),
)

#: The seed's references [10], [21]-[24] in full (obvious typos corrected; see notebook 01).
REFERENCES = {
    10: "Vaswani A, Shazeer N, Parmar N, et al. Attention is all you need[C]//Advances in "
        "neural information processing systems. 2017: 5998-6008.",
    21: "Mnih V, Heess N, Graves A, Kavukcuoglu K. Recurrent models of visual "
        "attention[C]//Proceedings of Advances in neural information processing systems "
        "2014: 2204-2212.",
    22: "Bahdanau D, Cho K, Bengio Y. Neural Machine Translation by Jointly Learning to "
        "Align and Translate[J]. Computer Science, 2014.",
    23: "Luong M T, Pham H, Manning C D. Effective approaches to attention-based neural "
        "machine translation[C]//Proceedings of the 2015 conference on empirical methods "
        "in natural language processing. Lisbon, Portugal: Association for Computational "
        "Linguistics, 2015: 1412-1421.",
    24: "Yin W, Schütze H, Xiang B, et al. ABCNN: Attention-Based Convolutional Neural "
        "Network for Modeling Sentence Pairs[J]. Computer Science, 2015.",
}


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


@dataclasses.dataclass
class LocalWindowExplorer:
    """Global against local-p weights for one target step, with a slider for D.

    ``figure`` shows the current state; ``widget`` is the slider above an Output the
    figure is redrawn into whenever the slider moves (:meth:`redraw`).
    """

    figure: Figure
    ax: Axes
    global_line: Line2D
    local_line: Line2D
    window: Rectangle
    slider: Any
    output: Any
    widget: Any
    query: np.ndarray
    value: np.ndarray
    key: np.ndarray
    position: float
    options: dict[str, Any]

    def weights(self, half_width: int) -> np.ndarray:
        """Local-p weights (S,) of the explored target step for window half-width D."""
        _, w, _ = local_attention(self.query, self.value, self.key, half_width=half_width,
                                  positions=np.array([self.position]), **self.options)
        return w[0]

    def redraw(self, change: Any = None) -> None:
        """Slider callback: redraw the local weights and window for the slider's D."""
        d = int(self.slider.value)
        w = self.weights(d)
        self.local_line.set_ydata(w)
        self.window.set_x(self.position - d)
        self.window.set_width(2 * d)
        inside = int(local_window(self.position, len(w), d).sum())
        self.ax.set_title(f"D = {d}, sigma = D/2 = {d / 2:g}: local-p uses {inside} of "
                          f"{len(w)} source positions", fontsize=10)
        from IPython import get_ipython
        from IPython.display import Image, clear_output, display
        if get_ipython() is not None:
            # A PNG made here, so the redraw shows whether or not pyplot's inline
            # backend (which teaches IPython to display figures) is active.
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png")
            with self.output:
                clear_output(wait=True)
                display(Image(data=buffer.getvalue()))


def local_window_explorer(query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                          *, position: float, half_width: int = 2,
                          max_half_width: int | None = None, score_mode: str = "dot",
                          weight: ArrayLike | None = None,
                          v: ArrayLike | None = None) -> LocalWindowExplorer:
    """Compare global and local-p attention for one target state, with a slider for the
    window half-width D (1 to ``max_half_width``, default S).

    Shapes: query (d,) one target state; value (S, dv); key (S, d_s), defaults to value;
    ``position`` p_t in [0, S]. The figure shows the initial D at once; the slider's
    callback (:meth:`LocalWindowExplorer.redraw`) redraws it for every new D.
    Introduced in notebooks/01_history_of_attention.ipynb.
    """
    import ipywidgets

    q = np.atleast_2d(np.asarray(query, dtype=float))
    if q.shape[0] != 1 or np.ndim(query) != 1:
        raise ValueError(f"query must be one target state, shape (d,); got shape "
                         f"{np.shape(query)}")
    val = np.asarray(value, dtype=float)
    k = val if key is None else np.asarray(key, dtype=float)
    options = dict(score_mode=score_mode, weight=weight, v=v)
    g_ctx, g_w = global_attention(q, val, k, **options)
    s_len = g_w.shape[-1]
    top = s_len if max_half_width is None else max_half_width
    top = check_int(top, "max_half_width", minimum=1)
    _, l_w, p = local_attention(q, val, k, half_width=half_width,
                                positions=np.array([position]), **options)
    fig = Figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.subplots()
    g_line, l_line, span = _draw_window(ax, g_w[0], l_w[0], float(p[0]), half_width)
    slider = ipywidgets.IntSlider(value=half_width, min=1, max=int(top), description="D",
                                  continuous_update=False)
    output = ipywidgets.Output()
    explorer = LocalWindowExplorer(
        figure=fig, ax=ax, global_line=g_line, local_line=l_line, window=span,
        slider=slider, output=output, widget=ipywidgets.VBox([slider, output]), query=q,
        value=val, key=k, position=float(p[0]), options=options)
    # Title for the initial state, without displaying anything yet.
    d = half_width
    inside = int(local_window(explorer.position, s_len, d).sum())
    ax.set_title(f"D = {d}, sigma = D/2 = {d / 2:g}: local-p uses {inside} of {s_len} "
                 "source positions", fontsize=10)
    slider.observe(explorer.redraw, names="value")
    return explorer
