"""What students of notebook 05 see: the training progress bar, the accuracy-by-length
plot, the alignment heatmap and the alignment explorer (a dropdown of test examples).

Imports numpy, matplotlib and ipywidgets (the widgets only when one is made), the heatmap
of :mod:`attention_lib.plots`, the live figures of :mod:`attention_lib.widgets`, and the
task from :mod:`attention_lib.reversal`; never TensorFlow.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from ._checks import as_int_array, check_int
from .fonts import fit_fonts
from .i18n import say
from .plots import heatmap
from .reversal import FIRST_TOKEN, PAD, START, Example
from .widgets import ExplorerView, FigureExplorer

# -- progress ----------------------------------------------------------------------------

class TrainingProgress:
    """A progress bar and a one-line label for training several models in turn, live
    in JupyterLab.

    The text form (what a reader without widgets sees, and what nbval compares) is one
    fixed line; the bar's final state, saved with the notebook, holds no timings.
    Call :meth:`callback` for each model's ``progress`` argument and :meth:`finish` at the
    end. Introduced in notebooks/05_why_attention.ipynb.
    """

    def __init__(self, steps: int, names: Sequence[str]) -> None:
        import ipywidgets as widgets

        self.steps = check_int(steps, "steps", minimum=1)
        if isinstance(names, str) or not names:
            raise TypeError(f"names must be a non-empty list of model names; got {names!r}")
        self.names = [str(n) for n in names]
        self.bar = widgets.IntProgress(value=0, min=0, max=self.steps * len(self.names),
                                       description=say("training", "训练"))
        self.label = widgets.HTML(value=say("starting", "即将开始"))
        self.widget = widgets.HBox([self.bar, self.label])
        self._start = time.perf_counter()

    def callback(self, name: str) -> Callable[[int, float], None]:
        """The ``progress(step, loss)`` function for the model called ``name``."""
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}; got {name!r}")
        offset = self.names.index(name) * self.steps

        def update(step: int, loss: float) -> None:
            self.bar.value = offset + step
            rate = (offset + step) / max(time.perf_counter() - self._start, 1e-9)
            self.label.value = say(f"{name}: step {step}/{self.steps}, loss {loss:.3f} "
                                   f"({rate:.0f} steps/s)",
                                   f"{name}：第 {step}/{self.steps} 步，损失 {loss:.3f}"
                                   f"（每秒 {rate:.0f} 步）")
        return update

    def finish(self) -> None:
        """Fill the bar and leave a final label that is the same on every run."""
        self.bar.value = self.bar.max
        self.bar.bar_style = "success"
        n = len(self.names)
        self.label.value = say(f"done: {n} model{'s' if n > 1 else ''} x {self.steps} steps "
                               f"({', '.join(self.names)})",
                               f"完成：{n} 个模型，每个 {self.steps} 步"
                               f"（{'、'.join(self.names)}）")

    def __repr__(self) -> str:
        return say(f"TrainingProgress({' then '.join(self.names)}, {self.steps} steps each; "
                   "the bar is live in JupyterLab)",
                   f"TrainingProgress（{'，然后 '.join(self.names)}，每个 {self.steps} 步；"
                   "进度条在 JupyterLab 中实时显示）")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(_Fixed(self.widget, repr(self)))


class _Fixed:
    """Display a widget with a fixed text/plain form."""

    def __init__(self, widget: Any, text: str) -> None:
        self.widget, self.text = widget, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.text
        return bundle


# -- plots -------------------------------------------------------------------------------

def plot_accuracy_by_length(ax: Axes, results: dict[str, dict[int, float]], *,
                            chance: float | None = None,
                            shade: Sequence[int] | None = None) -> None:
    """One line per model: per-token test accuracy (0 to 1) against sequence length.

    ``results`` maps a model name to
    :func:`attention_lib.reversal.accuracy_by_length`'s {length: accuracy};
    ``chance`` draws the guessing level; ``shade`` marks a range of lengths (e.g. the
    longest third). Introduced in notebooks/05_why_attention.ipynb.
    """
    if not isinstance(results, dict) or not results:
        raise TypeError("results must be a non-empty dict {model name: {length: accuracy}}")
    styles = ["o--", "s-", "^:", "d-."]
    for k, (name, by_length) in enumerate(results.items()):
        if not isinstance(by_length, dict) or not by_length:
            raise TypeError(f"results[{name!r}] must be a non-empty dict {{length: "
                            f"accuracy}}; got {type(by_length).__name__}")
        lengths = sorted(by_length)
        ax.plot(lengths, [by_length[n] for n in lengths], styles[k % len(styles)],
                label=name, markersize=4)
    if chance is not None:
        ax.axhline(chance, color="grey", linewidth=0.8, linestyle=":")
        ax.text(1.0, chance, say(" chance", " 随机猜测"), color="grey", va="center",
                ha="left", fontsize=8, transform=ax.get_yaxis_transform())
    if shade is not None:
        span = [int(n) for n in shade]
        ax.axvspan(min(span) - 0.5, max(span) + 0.5, color="0.9", zorder=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(say("sequence length", "序列长度"))
    ax.set_ylabel(say("per-token test accuracy", "逐词元测试准确率"))
    ax.legend(loc="center right")
    fit_fonts(ax)


def _label(token: int) -> str:
    """One tick label per token id: its letter, or "pad" / "start" for the two others
    (填充 / 起始 in Chinese)."""
    if int(token) == PAD:
        return say("pad", "填充")
    if int(token) == START:
        return say("start", "起始")
    return chr(ord("a") + int(token) - FIRST_TOKEN)


def _example_label(example: Example) -> str:
    """An example as the explorer names it: its ``label`` in English ("length 6: 5/6
    tokens right"), the same in Chinese."""
    right = int((example.output == example.target).sum())
    return say(example.label,
               f"长度 {len(example.source)}：{right}/{len(example.target)} 个词元正确")


def draw_alignment(ax: Axes, weights: Any, source: Any, output: Any, *,
                   title: str = "", colorbar: bool = True) -> AxesImage:
    """The alignment heatmap of one example: decoder steps down, source tokens across,
    weights on a fixed 0-to-1 scale, each axis labelled with its letters (an output of
    padding or start, which an untrained model can produce, is labelled so).

    Shapes: weights (n_out, n_src) with n_out = len(output), n_src = len(source); source
    and output are token ids (padding already cut off).
    Introduced in notebooks/05_why_attention.ipynb.
    """
    src = as_int_array(source, "source", 1)
    out = as_int_array(output, "output", 1)
    w = np.asarray(weights, dtype=float)
    if w.shape != (out.shape[0], src.shape[0]):
        raise ValueError(f"weights must be (len(output), len(source)) = "
                         f"({out.shape[0]}, {src.shape[0]}); got {w.shape}")
    image = heatmap(ax, w, row_labels=[_label(t) for t in out],
                    col_labels=[_label(t) for t in src], title=title,
                    xlabel=say("source token (encoder position)", "源词元（编码器位置）"),
                    ylabel=say("output token (decoder step)", "输出词元（解码步）"),
                    vmin=0.0, vmax=1.0, annotate=False, colorbar=colorbar)
    ax.tick_params(labelsize=7)
    fit_fonts(ax)
    return image


class AlignmentExplorer(ExplorerView):
    """A dropdown of test examples (:class:`attention_lib.reversal.Example`, from
    :func:`attention_lib.reversal.examples_from`) above the alignment heatmap of the
    chosen one.

    Displaying it shows a still picture of the first example (what GitHub shows), then
    the live dropdown and figure (see :class:`attention_lib.widgets.FigureExplorer`).
    ``image`` is the heatmap currently drawn; its data is the chosen example's weights.
    Introduced in notebooks/05_why_attention.ipynb.
    """

    def __init__(self, examples: Sequence[Example]) -> None:
        import ipywidgets as widgets

        if not examples or not all(isinstance(e, Example) for e in examples):
            raise TypeError("examples must be a non-empty list of Example (see "
                            "reversal.examples_from)")
        self.examples = list(examples)
        self.dropdown = widgets.Dropdown(
            options=[(_example_label(e), i) for i, e in enumerate(self.examples)], value=0,
            description=say("example", "样本"), layout=widgets.Layout(width="320px"))
        self.figure = Figure(figsize=(6.4, 5.6), layout="constrained")
        self.ax = self.figure.subplots()
        self.image: AxesImage | None = None
        self._colorbar = False
        self.explorer = FigureExplorer(
            self.figure, self._update, {"example": self.dropdown},
            summary=say(f"AlignmentExplorer({len(self.examples)} test examples)",
                        f"AlignmentExplorer（{len(self.examples)} 个测试样本）"))

    def _update(self, example: int) -> None:
        e = self.examples[example]
        self.ax.clear()
        self.image = draw_alignment(self.ax, e.weights, e.source, e.output,
                                    title=say(f"attention weights, {e.label}",
                                              f"注意力权重，{_example_label(e)}"),
                                    colorbar=not self._colorbar)
        self._colorbar = True

