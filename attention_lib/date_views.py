"""What students of notebooks 09 and 10 see of the date task: an alignment heatmap with
the source characters across (Chinese drawn in a CJK font) and the field spans marked,
and an explorer with a dropdown of test examples and, for a Transformer's cross-attention,
a head selector.

Imports numpy, matplotlib and ipywidgets (when an explorer is made), the task's fields
from :mod:`attention_lib.dates`; never TensorFlow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from ._checks import check_int
from .dates import FIELDS, OUTPUT_STEPS
from .fonts import DefaultText, cjk_families, fit_fonts, said
from .i18n import say
from .plots import heatmap
from .widgets import ExplorerView, FigureExplorer

#: The colour of each field's span under the heatmap (year, month, day).
FIELD_COLOURS = {"year": "#1f77b4", "month": "#d62728", "day": "#2ca02c"}


def _weights_2d(weights: Any, name: str = "weights") -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"{name} must have shape (output steps, source characters); got "
                         f"{w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f"{name} must be finite and non-negative (attention weights)")
    return w


def draw_date_alignment(ax: Axes, weights: Any, text: str, output: str, *,
                        spans: Any = None, title: str = "",
                        colorbar: bool = True) -> AxesImage:
    """One example's attention: output characters down (the ISO date the model wrote),
    source characters across, weights on a fixed 0-to-1 scale. With ``spans`` (4, 2), as
    ``DateData.spans[i]``, a coloured bar under the source marks the year, month and day.

    Shapes: weights (len(output), >= len(text)); columns past the text (padding) are cut.
    Introduced in notebooks/09_learning_to_align_dates.ipynb.
    """
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be the non-empty source string; got {text!r}")
    if not isinstance(output, str) or not output:
        raise TypeError(f"output must be the non-empty output string; got {output!r}")
    w = _weights_2d(weights)
    if w.shape[0] != len(output) or w.shape[1] < len(text):
        raise ValueError(f"weights must be (len(output), at least len(text)) = "
                         f"({len(output)}, {len(text)}); got {w.shape}")
    w = w[:, :len(text)]
    image = heatmap(ax, w, row_labels=list(output),
                    col_labels=[c if c.strip() else "␣" for c in text], title=title,
                    xlabel=say("source character", "源字符"),
                    ylabel=say("output character (decoder step)", "输出字符（解码步）"),
                    vmin=0.0, vmax=1.0, annotate=False, colorbar=colorbar)
    ax.set_xticks(range(len(text)), [c if c.strip() else "␣" for c in text],
                  fontfamily=cjk_families(), fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    if spans is not None:
        s = np.asarray(spans, dtype=int)
        if s.shape != (len(FIELDS), 2):
            raise ValueError(f"spans must have shape ({len(FIELDS)}, 2), one (start, end) "
                             f"per field of {FIELDS}; got {s.shape}")
        bottom = len(output) - 0.5
        for field, colour in FIELD_COLOURS.items():
            start, end = s[FIELDS.index(field)]
            if end > start:
                ax.plot([start - 0.45, end - 0.55], [bottom + 0.25] * 2, color=colour,
                        linewidth=4, solid_capstyle="butt", clip_on=False)
            for step in OUTPUT_STEPS[field]:
                ax.get_yticklabels()[step].set_color(colour)
        ax.set_ylim(bottom + 0.5, -0.5)
    fit_fonts(ax)
    return image


class DateAlignmentExplorer(ExplorerView):
    """A dropdown of examples above the heatmap of the chosen one; with per-head weights,
    a second control picks a head or their mean.

    ``weights``: (n, steps, source) for one attention, or (n, heads, steps, source) for a
    multi-head one; ``texts`` and ``outputs`` the n source strings and the n strings the
    model wrote; ``labels`` the n dropdown entries; ``spans`` (n, 4, 2) or None.
    ``image`` is the heatmap drawn now, its data the chosen weights.
    Introduced in notebooks/09_learning_to_align_dates.ipynb.
    """

    def __init__(self, weights: Any, texts: Sequence[str], outputs: Sequence[str],
                 labels: Sequence[str], *, spans: Any = None,
                 title: str = DefaultText("attention", "注意力")) -> None:
        import ipywidgets as widgets

        w = np.asarray(weights, dtype=float)
        if w.ndim not in (3, 4):
            raise ValueError(f"weights must be (n, steps, source) or (n, heads, steps, "
                             f"source); got {w.shape}")
        n = w.shape[0]
        for name, seq in (("texts", texts), ("outputs", outputs), ("labels", labels)):
            if isinstance(seq, str) or len(seq) != n:
                raise ValueError(f"{name} must be a list of {n} strings, one per example")
        self.weights, self.texts, self.outputs = w, list(texts), list(outputs)
        self.spans = None if spans is None else np.asarray(spans, dtype=int)
        if self.spans is not None and self.spans.shape[:1] != (n,):
            raise ValueError(f"spans must have one (4, 2) entry per example, shape "
                             f"({n}, 4, 2); got {self.spans.shape}")
        self.title = str(said(title))
        self.dropdown = widgets.Dropdown(options=[(str(s), i) for i, s in enumerate(labels)],
                                         value=0, description=say("example", "样本"),
                                         layout=widgets.Layout(width="420px"))
        controls: dict[str, Any] = {"example": self.dropdown}
        self.heads = w.shape[1] if w.ndim == 4 else 0
        if self.heads:
            self.head = widgets.ToggleButtons(
                options=[(say("mean", "平均"), -1)]
                + [(say(f"head {h}", f"头 {h}"), h) for h in range(self.heads)],
                value=-1, description=say("head", "头"),
                style={"button_width": "64px"})
            controls["head"] = self.head
        self.figure = Figure(figsize=(8.4, 4.4), layout="constrained")
        self.ax = self.figure.subplots()
        self.image: AxesImage | None = None
        self._colorbar = False
        kind = say(f"{self.heads} heads, ", f"{self.heads} 个头，") if self.heads else ""
        self.explorer = FigureExplorer(self.figure, self._update, controls,
                                       summary=say(f"DateAlignmentExplorer({n} examples, "
                                                   f"{kind}{self.title})",
                                                   f"DateAlignmentExplorer（{n} 个样本，"
                                                   f"{kind}{self.title}）"))

    def chosen(self, example: int, head: int = -1) -> np.ndarray:
        """The (steps, source) weights drawn for ``example`` and ``head`` (-1: the mean)."""
        i = check_int(example, "example", minimum=0, maximum=len(self.texts) - 1)
        if not self.heads:
            return self.weights[i]
        h = check_int(head, "head", minimum=-1, maximum=self.heads - 1)
        return self.weights[i].mean(axis=0) if h == -1 else self.weights[i, h]

    def _update(self, example: int, head: int = -1) -> None:
        self.ax.clear()
        which = "" if not self.heads else (say(", mean of the heads", "，各头的平均")
                                           if head == -1 else say(f", head {head}",
                                                                  f"，头 {head}"))
        self.image = draw_date_alignment(
            self.ax, self.chosen(example, head), self.texts[example], self.outputs[example],
            spans=None if self.spans is None else self.spans[example],
            title=f"{self.title}{which}", colorbar=not self._colorbar)
        self._colorbar = True
