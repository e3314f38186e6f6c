"""Watch a mask move: self-attention weights of one padded sequence, with sliders for the
sequence length and the padding, a causal switch and the choice of Keras layer (and, for
``MultiHeadAttention``, of its path).

The masked cells are hatched over the weights, so the causal triangle and the padded
columns stay visible, and a fully masked row shows what the layer gives it: uniform
weights for ``Attention`` and for ``MultiHeadAttention``'s fused path (its normal call,
what a model runs), zeros on ``MultiHeadAttention``'s explicit path (taken when it
returns its scores, or has dropout). The rules are :data:`attention_lib.mask_rules.LAYER_RULES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from ._checks import as_bool_array, as_float_array, check_bool, check_int
from .fonts import DefaultText, fit_fonts
from .i18n import language, say
from .mask_rules import LAYER_RULES, padded_self_attention
from .plots import weights_heatmap
from .widgets import ExplorerView, FigureExplorer

__all__ = ["LAYER_RULES", "MaskExplorer", "masked_heatmap"]


def _layer_label(layer: str) -> str:
    """How the layer dropdown and the title name ``layer``, a key of
    :data:`LAYER_RULES` (the key itself in English)."""
    return say(layer, {"MultiHeadAttention, fused path": "MultiHeadAttention，融合路径",
                       "MultiHeadAttention, explicit path": "MultiHeadAttention，显式路径",
                       }.get(layer, layer))


def masked_heatmap(ax: Axes, weights: ArrayLike, allowed: ArrayLike, *,
                   query_labels: Sequence[str] | None = None,
                   key_labels: Sequence[str] | None = None,
                   title: str = DefaultText("attention weights", "注意力权重"),
                   annotate: bool = True, colorbar: bool = True) -> AxesImage:
    """Weights (Tq, Tv) on a 0-to-1 scale with every masked cell (``allowed`` False)
    hatched, so the masked region stays visible; the numbers stay readable on top.
    The default title and the axis labels speak the language in use.

    Returns the image; the hatched patches are ``ax.patches``.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    w = as_float_array(weights, "weights", min_ndim=2)
    if w.ndim != 2:
        raise ValueError(f"weights must be 2-D (Tq, Tv); got shape {w.shape}")
    a = as_bool_array(allowed, "allowed")
    if a.shape != w.shape:
        raise ValueError(f"allowed has shape {a.shape} but weights has {w.shape}; they "
                         "must match")
    image = weights_heatmap(ax, w, query_labels=query_labels, key_labels=key_labels,
                            title=title, annotate=annotate, colorbar=colorbar)
    for i, j in np.argwhere(~a):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                               edgecolor="0.75", linewidth=0))
    fit_fonts(ax)
    return image


class MaskExplorer(ExplorerView):
    """Sliders for sequence length and padding, a causal switch and a layer choice,
    above the self-attention weights they give (redrawn on every change).

    ``layer`` is a key of :data:`LAYER_RULES`: ``"Attention"``,
    ``"MultiHeadAttention, fused path"`` (the normal call: fully masked rows uniform) or
    ``"MultiHeadAttention, explicit path"`` (scores returned: fully masked rows zeros).

    ``controls`` holds the widgets ("length", "padding", "causal", "layer"); set their
    ``.value`` to move them from code. ``result`` is what the figure shows now: the
    output of :func:`attention_lib.mask_rules.padded_self_attention` plus "length",
    "padding" and "layer"; ``png`` the picture. Displaying the explorer shows a still
    picture of the first state, then the live widget.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """

    def __init__(self, sequence: ArrayLike, *, tokens: Sequence[str] | None = None,
                 length: int | None = None, padding: int = 0, causal: bool = True,
                 layer: str = "Attention") -> None:
        x = as_float_array(sequence, "sequence", min_ndim=2)
        if x.ndim != 2:
            raise ValueError(f"sequence must be 2-D (max length, features); got shape "
                             f"{x.shape}")
        max_len = x.shape[0]
        if tokens is None:
            tokens = [f"t{i}" for i in range(max_len)]
        tokens = [str(t) for t in tokens]
        if len(tokens) != max_len:
            raise ValueError(f"tokens has {len(tokens)} entries but sequence has {max_len} "
                             f"positions (sequence {x.shape})")
        length = max_len if length is None else length
        for name, n, lo, hi in (("length", length, 1, max_len), ("padding", padding, 0,
                                                                  length)):
            check_int(n, name, minimum=lo, maximum=hi)
        causal = check_bool(causal, "causal")
        if layer not in LAYER_RULES:
            raise ValueError(f"layer must be one of {', '.join(map(repr, LAYER_RULES))}; "
                             f"got {layer!r}")
        self.sequence, self.tokens = x, tokens
        self.result: dict[str, Any] = {}
        # The layers' names as the dropdown shows them; its values are LAYER_RULES's keys
        # (plain options in English, as they always were; (label, key) pairs in Chinese).
        layers: list[Any] = (list(LAYER_RULES) if language() == "en" else
                             [(_layer_label(name), name) for name in LAYER_RULES])
        self.controls = {
            "length": widgets.IntSlider(value=int(length), min=1, max=max_len,
                                        description=say("length", "长度"),
                                        continuous_update=False),
            "padding": widgets.IntSlider(value=int(padding), min=0, max=int(length),
                                         description=say("padding", "填充"),
                                         continuous_update=False),
            "causal": widgets.Checkbox(value=bool(causal),
                                       description=say("causal mask", "因果掩码")),
            "layer": widgets.Dropdown(options=layers, value=layer,
                                      description=say("layer", "层"),
                                      layout=widgets.Layout(width="380px")),
        }
        # Registered before the explorer's own observer, so the padding slider's range
        # follows the length first (ipywidgets clamps its value to the new maximum).
        self.controls["length"].observe(self._follow_length, names="value")
        self.figure = Figure(figsize=(6.4, 4.8), layout="constrained")
        self.explorer = FigureExplorer(
            self.figure, self.draw, self.controls,
            summary=say(f"MaskExplorer(sequence of up to {max_len} tokens: length, padding, "
                        "causal, layer)",
                        f"MaskExplorer（最多 {max_len} 个词元的序列：长度、填充、因果掩码、层）"))
        self.widget = self.explorer.widget

    def _follow_length(self, change: dict[str, Any]) -> None:
        self.controls["padding"].max = int(change["new"])

    def draw(self, *, length: int, padding: int, causal: bool, layer: str) -> None:
        """Redraw the figure for these control values (the explorer's callback)."""
        padding = min(int(padding), int(length))   # never more padding than tokens
        rule = LAYER_RULES[layer][0]
        res = padded_self_attention(self.sequence[:length], padding=padding,
                                    use_causal_mask=bool(causal), layer=layer)
        pad = say("pad", "填充")
        labels = [tok if real else pad for tok, real in
                  zip(self.tokens[:length], res["real"], strict=True)]
        self.figure.clear()
        ax = self.figure.subplots()
        n_full = int(res["fully_masked"].sum())
        rows = say("no fully masked row" if n_full == 0 else
                   f"{n_full} fully masked row{'s' if n_full > 1 else ''} -> "
                   + (f"uniform 1/{length} over every key" if rule == "uniform" else
                      "all zeros"),
                   "没有完全被掩蔽的行" if n_full == 0 else
                   f"{n_full} 行完全被掩蔽："
                   + (f"在每个键上均匀分布，都是 1/{length}" if rule == "uniform" else
                      "全为 0"))
        title = say(f"{layer}, length {length}, padding {padding}"
                    f"{', causal' if causal else ''}\n{rows}",
                    f"{_layer_label(layer)}，长度 {length}，填充 {padding}"
                    f"{'，因果掩码' if causal else ''}\n{rows}")
        masked_heatmap(ax, res["weights"], res["allowed"], query_labels=labels,
                       key_labels=labels, title=title, annotate=length <= 10)
        ax.set_xlabel(say("key position (hatched = masked)", "键位置（斜线阴影 = 被掩蔽）"))
        fit_fonts(ax)
        self.result = {**res, "length": int(length), "padding": padding, "layer": layer}

