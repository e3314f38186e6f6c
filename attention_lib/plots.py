"""Plots shared by the notebooks: labelled heatmaps with a colour-blind-safe map."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from .fonts import DefaultText, fit_fonts, said
from .i18n import say

#: Perceptually uniform and readable with the common colour-vision deficiencies.
WEIGHTS_CMAP = "viridis"


def heatmap(ax: Axes, matrix: np.ndarray, *, row_labels: Sequence[str] | None = None,
            col_labels: Sequence[str] | None = None, title: str = "",
            xlabel: str = "", ylabel: str = "", vmin: float | None = None,
            vmax: float | None = None, cmap: str = WEIGHTS_CMAP, annotate: bool = True,
            fmt: str = "{:.2f}", colorbar: bool = True) -> AxesImage:
    """Draw ``matrix`` (rows x cols) as an annotated heatmap on ``ax``; return the image.

    Annotations switch between dark and light text so they stay readable on every cell.
    Labels, ticks and title may be Chinese: they get a font that has it
    (:func:`attention_lib.fonts.fit_fonts`).
    Introduced in notebooks/08_the_papers_in_code.ipynb.
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"matrix must be 2-D (rows, cols); got shape {m.shape}")
    image = ax.imshow(m, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    rows, cols = m.shape
    ax.set_xticks(range(cols), labels=[str(c) for c in (col_labels if col_labels is not None
                                                         else range(cols))])
    ax.set_yticks(range(rows), labels=[str(r) for r in (row_labels if row_labels is not None
                                                         else range(rows))])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if annotate:
        lo, hi = image.get_clim()
        mid = (lo + hi) / 2
        for i in range(rows):
            for j in range(cols):
                ax.text(j, i, fmt.format(m[i, j]), ha="center", va="center", fontsize=9,
                        color="black" if m[i, j] > mid else "white")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fit_fonts(ax)
    return image


def weights_heatmap(ax: Axes, weights: np.ndarray, *, query_labels: Sequence[str] | None = None,
                    key_labels: Sequence[str] | None = None,
                    title: str = DefaultText("attention weights", "注意力权重"),
                    annotate: bool = True,
                    colorbar: bool = True) -> AxesImage:
    """Attention weights (Tq, Tv) on a fixed 0-to-1 colour scale, queries down, keys across.

    The default title and the axis labels speak the language in use (attention_lib.i18n).
    Introduced in notebooks/01_a_short_history.ipynb.
    """
    return heatmap(ax, weights, row_labels=query_labels, col_labels=key_labels,
                   title=said(title), xlabel=say("key position", "键位置"),
                   ylabel=say("query position", "查询位置"), vmin=0.0, vmax=1.0,
                   annotate=annotate, colorbar=colorbar)
