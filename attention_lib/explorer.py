"""The attention explorer: a slider for every entry of query, key and value, and the three
stages redrawn live (scores, softmax weights, output), with an optional live Keras
cross-check.

    from attention_lib.data import seed_arrays
    from attention_lib.explorer import AttentionExplorer
    s = seed_arrays()
    AttentionExplorer(s["query"], s["value"], s["key"])            # numpy only
    AttentionExplorer(s["query"], s["value"], s["key"], keras=True)  # + Keras panel

Every control is a plain ipywidgets object held on the explorer (``query_sliders[i, j]``,
``score_mode``, ``scale``, ``causal``, ``key_is_value``, ``reset_button``), so tests and
benchmarks drive it by setting ``.value`` exactly as a drag in the browser does.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from numpy.typing import ArrayLike

from . import keras_check
from ._checks import as_finite_scalar, as_float_array, check_bool, check_choice
from .core import attend_kernel, attention
from .fonts import cjk_families, fit_fonts
from .i18n import say
from .masks import causal_mask
from .plots import WEIGHTS_CMAP
from .portable import FLOAT32_ATOL
from .scores import SCORE_MODES, score, score_kernel
from .widgets import LiveFigure, SummaryBox, show_live, slider_grid

#: Colour-blind-safe map for scores and outputs, whose range changes as you drag.
VALUES_CMAP = "cividis"
#: Largest |numpy - Keras| the Keras panel accepts as agreement.


def _mode_labels() -> dict[str, str]:
    """The score dropdown's label of every score mode, in the language in use."""
    return {
        "dot": say("dot: q·k", "点积：q·k"),
        "scaled_dot": say("scaled dot: q·k/√d", "缩放点积：q·k/√d"),
        "concat": say("concat (Keras): Σ tanh(q+k)", "concat（Keras）：Σ tanh(q+k)"),
        "cosine": say("cosine: cos(q, k)", "余弦：cos(q, k)"),
    }


def _fmt(x: float) -> str:
    """A short label for a score or output cell (at most about 6 characters)."""
    a = abs(x)
    if a < 9.995:
        s = f"{x:.2f}"
    elif a < 99.95:
        s = f"{x:.1f}"
    else:
        s = f"{x:.0f}"
    return "0.00" if s == "-0.00" else s.replace("-", "−")


def stage_scores(query: np.ndarray, key: np.ndarray, score_mode: str,
                 scale: float) -> np.ndarray:
    """Stage 1 as the explorer shows it: the scores that go into the softmax, with the
    scale applied (inside tanh for concat, as Keras does). Shapes (Tq, d), (Tv, d) ->
    (Tq, Tv).
    """
    return score(query, key, score_mode=score_mode, scale=scale)


class AttentionExplorer:
    """Interactive attention: sliders for query (Tq, d), key (Tv, d) and value (Tv, dv),
    live panels for stage 1 (scores), stage 2 (softmax weights, fixed 0-1 scale) and
    stage 3 (output), and optionally Keras's weights from ``tf.keras.layers.Attention``
    on the same inputs with the largest difference from numpy.

    ``key=None`` starts with the "key = value" switch on (Keras's default when no key is
    passed; needs d == dv). Controls: score mode (every mode of
    :func:`attention_lib.attention`), scale in [0.1, 10] on a log slider (the score is
    multiplied by it, like Keras's ``use_scale`` weight; 1/scale is the softmax
    temperature), causal mask, key = value, reset. Every slider is bounded by
    ``limits`` and the softmax is the stable one, so no reachable setting gives NaN.

    TensorFlow is imported only when ``keras=True``. Keras's Attention has the "dot" and
    "concat" scores; "scaled_dot" is run as its "dot" with ``use_scale`` and scale
    s/sqrt(d), which is the same computation; "cosine" has no Keras twin and the panel
    says so.

    Shapes: query (Tq, d); value (Tv, dv); key (Tv, d) or None.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """

    def __init__(self, query: ArrayLike, value: ArrayLike, key: ArrayLike | None = None,
                 *, keras: bool = False, score_mode: str = "dot", scale: float = 1.0,
                 use_causal_mask: bool = False, limits: tuple[float, float] = (-5.0, 5.0),
                 step: float = 0.1, dpi: int = 90) -> None:
        q = as_float_array(query, "query", min_ndim=2)
        v = as_float_array(value, "value", min_ndim=2)
        k = None if key is None else as_float_array(key, "key", min_ndim=2)
        for name, arr in (("query", q), ("value", v), ("key", k)):
            if arr is not None and arr.ndim != 2:
                raise ValueError(f"{name} must be 2-D (positions, features) for the "
                                 f"explorer; got shape {arr.shape}")
        attention(q, v, k)  # shape checks with the library's messages
        keras = check_bool(keras, "keras")
        use_causal_mask = check_bool(use_causal_mask, "use_causal_mask")
        check_choice(score_mode, "score_mode", SCORE_MODES)
        scale = as_finite_scalar(scale, "scale")
        if not 0.1 <= scale <= 10.0:
            raise ValueError(f"scale must lie in [0.1, 10] (the slider's range); got {scale}")
        self.tq, self.d = q.shape
        self.tv, self.dv = v.shape
        self.keras = bool(keras)
        self._initial: dict[str, Any] = {
            "query": q.copy(), "value": v.copy(), "key": (v if k is None else k).copy(),
            "score_mode": score_mode, "scale": scale, "causal": bool(use_causal_mask),
            "key_is_value": k is None}
        self._hold = 0
        self._keras_layers: dict[str, Any] = {}
        self.result: dict[str, Any] = {}

        # -- controls -----------------------------------------------------------------
        q_box, self.query_sliders = slider_grid(q, "query", limits=limits, step=step)
        k_box, self.key_sliders = slider_grid(self._initial["key"], "key", limits=limits,
                                              step=step)
        v_box, self.value_sliders = slider_grid(v, "value", limits=limits, step=step)
        labels = _mode_labels()
        self.score_mode = widgets.Dropdown(
            options=[(labels[m], m) for m in SCORE_MODES], value=score_mode,
            description=say("score", "评分"), layout=widgets.Layout(width="260px"))
        self.scale = widgets.FloatLogSlider(
            value=scale, base=10, min=-1, max=1, step=0.05, description=say("scale", "缩放"),
            readout_format=".2f", continuous_update=True)
        self.causal = widgets.Checkbox(value=bool(use_causal_mask),
                                       description=say("causal mask", "因果掩码"),
                                       indent=False)
        same_width = self.d == self.dv
        self.key_is_value = widgets.Checkbox(
            value=k is None, description=say("key = value", "键 = 值"), indent=False,
            disabled=not same_width,
            tooltip=(say("use the value matrix as the key", "把值矩阵用作键") if same_width
                     else say(f"needs d == dv (query has {self.d} features, value {self.dv})",
                              f"需要 d == dv（查询有 {self.d} 个特征，值有 {self.dv} 个）")))
        self.reset_button = widgets.Button(description=say("reset", "重置"), icon="undo")
        self.status = widgets.HTML()

        # -- figure ---------------------------------------------------------------------
        self.images: dict[str, AxesImage] = {}
        self.texts: dict[str, np.ndarray] = {}
        fig = self._build_figure(dpi)
        fast_texts = [t for arr in self.texts.values() for t in arr.ravel()]
        fast_texts += [self._caption, self._keras_caption]
        self.live = LiveFigure(fig, fast_images=list(self.images.values()),
                               fast_texts=fast_texts,
                               alt=say("heatmaps of the scores, the softmax weights and "
                                       "the output", "评分、softmax 权重和输出的热图"))

        # -- wiring ---------------------------------------------------------------------
        for slider in [*self.query_sliders.ravel(), *self.key_sliders.ravel()]:
            slider.observe(self._on_change, names="value")
        for slider in self.value_sliders.ravel():
            slider.observe(self._on_value_change, names="value")
        for control in (self.score_mode, self.scale, self.causal):
            control.observe(self._on_change, names="value")
        self.key_is_value.observe(self._on_key_is_value, names="value")
        self.reset_button.on_click(lambda _b: self.reset())

        def titled(title: str, box: widgets.Widget) -> widgets.VBox:
            return widgets.VBox([widgets.HTML(f"<b>{title}</b>"), box])

        grids = widgets.HBox([
            titled(say(f"query Q ({self.tq} × {self.d})", f"查询 Q（{self.tq} × {self.d}）"),
                   q_box),
            titled(say(f"key K ({self.tv} × {self.d})", f"键 K（{self.tv} × {self.d}）"), k_box),
            titled(say(f"value V ({self.tv} × {self.dv})", f"值 V（{self.tv} × {self.dv}）"),
                   v_box)],
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="12px"))
        controls = widgets.HBox([self.score_mode, self.scale, self.causal,
                                 self.key_is_value, self.reset_button],
                                layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = SummaryBox(
            [grids, controls, self.live.view, self.status], self._summary())
        with self._batch():
            self._sync_key_sliders()
        self.update()

    # -- figure -------------------------------------------------------------------------
    def _build_figure(self, dpi: int) -> Figure:
        cols = [self.tv, self.tv, self.dv] + ([self.tv] if self.keras else [])
        width = sum(max(1.9, 0.62 * c + 0.9) for c in cols) + 0.9
        height = 1.5 + 0.42 * self.tq
        fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        axes = fig.subplots(1, len(cols), width_ratios=[max(c, 2) for c in cols])
        q_labels = [f"q{i}" for i in range(self.tq)]
        k_labels = [f"k{j}" for j in range(self.tv)]
        f_labels = [f"f{j}" for j in range(self.dv)]
        values_cmap = matplotlib.colormaps[VALUES_CMAP].with_extremes(bad="#d9d9d9")
        specs = [("scores", say("1 · scores", "1 · 评分"), k_labels, values_cmap, None),
                 ("weights", say("2 · softmax weights", "2 · softmax 权重"), k_labels,
                  WEIGHTS_CMAP, (0.0, 1.0)),
                 ("output", say("3 · output = weights @ V", "3 · 输出 = 权重 @ V"), f_labels,
                  values_cmap, None)]
        if self.keras:
            specs.append(("keras", say("Keras weights", "Keras 的权重"), k_labels,
                          WEIGHTS_CMAP, (0.0, 1.0)))
        # The texts redrawn on every move may hold Chinese: they get a font that has it
        # (DejaVu Sans first, so digits and Latin letters are drawn as before).
        cjk = cjk_families()
        for ax, (name, title, col_labels, cmap, clim) in zip(axes, specs, strict=True):
            rows, ncols = self.tq, len(col_labels)
            vmin, vmax = clim if clim else (0.0, 1.0)
            im = ax.imshow(np.zeros((rows, ncols)), cmap=cmap, vmin=vmin, vmax=vmax,
                           aspect="auto", interpolation="nearest")
            ax.set_xticks(range(ncols), labels=col_labels)
            ax.set_yticks(range(rows), labels=q_labels)
            ax.tick_params(length=0)
            ax.set_title(title, fontsize=10)
            fit_fonts(ax)
            if clim:
                fig.colorbar(im, ax=ax, fraction=0.08, pad=0.03, ticks=[0, 0.5, 1])
            self.images[name] = im
            texts = np.empty((rows, ncols), dtype=object)
            for i in range(rows):
                for j in range(ncols):
                    texts[i, j] = ax.text(j, i, "", ha="center", va="center", fontsize=9,
                                          fontfamily=cjk)
            self.texts[name] = texts
        self._caption: Text = fig.text(0.01, 0.015, "", ha="left", va="bottom", fontsize=9,
                                       color="#333333", fontfamily=cjk)
        self._keras_caption: Text = (
            axes[-1].text(0.5, 0.5, "", ha="center", va="center", fontsize=8,
                          transform=axes[-1].transAxes, color="black", fontfamily=cjk)
            if self.keras else
            fig.text(0.0, 0.0, "", visible=False))
        engine = fig.get_layout_engine()
        assert isinstance(engine, ConstrainedLayoutEngine)
        # Room for the caption line under the panels.
        engine.set(h_pad=0.05, w_pad=0.05, rect=(0, 0.09, 1, 0.91))
        return fig

    def _summary(self) -> str:
        panel = "with" if self.keras else "without"
        return say(f"AttentionExplorer(query {self.tq}×{self.d}, key {self.tv}×{self.d}, "
                   f"value {self.tv}×{self.dv}; {panel} the Keras panel)",
                   f"AttentionExplorer（查询 {self.tq}×{self.d}，键 {self.tv}×{self.d}，"
                   f"值 {self.tv}×{self.dv}；{'带' if self.keras else '不带'} Keras 面板）")

    # -- state --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """Change many controls with a single redraw at the end."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def inputs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The current (query (Tq, d), value (Tv, dv), key (Tv, d) or None when the
        "key = value" switch is on), read from the sliders."""
        def read(sliders: np.ndarray) -> np.ndarray:
            return np.array([[s.value for s in row] for row in sliders], dtype=np.float64)
        key = None if self.key_is_value.value else read(self.key_sliders)
        return read(self.query_sliders), read(self.value_sliders), key

    def _sync_key_sliders(self) -> None:
        on = self.key_is_value.value
        for i in range(self.tv):
            for j in range(self.d):
                slider = self.key_sliders[i, j]
                slider.disabled = on
                if on:
                    slider.value = self.value_sliders[i, j].value

    def _on_change(self, _change: object) -> None:
        if not self._hold:
            self.update()

    def _on_value_change(self, change: dict[str, Any]) -> None:
        if self.key_is_value.value:
            with self._batch():
                self._sync_key_sliders()
        self._on_change(change)

    def _on_key_is_value(self, _change: object) -> None:
        with self._batch():
            self._sync_key_sliders()
        self._on_change(_change)

    def reset(self) -> None:
        """Put every slider and control back to its starting value, then redraw once."""
        init = self._initial
        with self._batch():
            for name, sliders in (("query", self.query_sliders), ("key", self.key_sliders),
                                  ("value", self.value_sliders)):
                for (i, j), slider in np.ndenumerate(sliders):
                    slider.value = float(init[name][i, j])
            self.score_mode.value = init["score_mode"]
            self.scale.value = init["scale"]
            self.causal.value = init["causal"]
            self.key_is_value.value = init["key_is_value"]
            self._sync_key_sliders()
        self.update()

    # -- the computation and the panels -------------------------------------------------
    def update(self) -> None:
        """Recompute the three stages from the controls and repaint the panels."""
        q, v, k = self.inputs()
        mode, scale, causal = self.score_mode.value, float(self.scale.value), self.causal.value
        kk = v if k is None else k
        # The inputs were checked once, when the explorer was made, and the sliders keep
        # every entry finite and in range: each move runs the maths alone.
        scores = score_kernel(q, kk, mode, scale)
        allowed = causal_mask(self.tq, self.tv) if causal else np.ones_like(scores, bool)
        output, weights = attend_kernel(scores, v, allowed)
        self.result = {"query": q, "value": v, "key": kk, "scores": scores,
                       "weights": weights, "output": output, "allowed": allowed}
        self._show_values("scores", np.ma.masked_array(scores, ~allowed))
        self._show_weights("weights", weights)
        self._show_values("output", np.ma.masked_array(output))
        self._keras_summary = ""
        self._status_html = ""
        if self.keras:
            self._update_keras(q, v, k, mode, scale, causal)
        mode_text = {"dot": "q·k", "scaled_dot": f"q·k/√{self.d}", "concat": "Σ tanh(s(q+k))",
                     "cosine": "cos(q, k)"}[mode]
        scale_text = "" if mode == "concat" else f" × {scale:.2f}"
        self._caption.set_text(say(
            f"score {mode_text}{scale_text} (scale s = {scale:.2f}) · causal mask "
            f"{'on' if causal else 'off'} · key {'= value' if k is None else 'own'}"
            f"{self._keras_summary}",
            f"评分 {mode_text}{scale_text}（缩放 s = {scale:.2f}）· 因果掩码"
            f"：{'开' if causal else '关'} · {'键 = 值' if k is None else '键单独设置'}"
            f"{self._keras_summary}"))
        self.live.paint()
        # The status line after the picture: its message then does not hold the picture
        # back in the browser.
        self.status.value = self._status_html

    def _show_values(self, name: str, data: np.ma.MaskedArray) -> None:
        im = self.images[name]
        im.set_data(data)
        shown = data.compressed()
        lo, hi = float(shown.min()), float(shown.max())
        if hi - lo < 1e-12:
            lo, hi = lo - 1.0, hi + 1.0
        im.set_clim(lo, hi)
        mid = (lo + hi) / 2
        mask = np.ma.getmaskarray(data)
        for (i, j), t in np.ndenumerate(self.texts[name]):
            if mask[i, j]:
                t.set_text(say("masked", "掩蔽"))
                t.set_color("black")
            else:
                x = float(data[i, j])
                t.set_text(_fmt(x))
                t.set_color("black" if x > mid else "white")

    def _show_weights(self, name: str, weights: np.ndarray) -> None:
        self.images[name].set_data(weights)
        for (i, j), t in np.ndenumerate(self.texts[name]):
            t.set_text(f"{weights[i, j]:.2f}")
            t.set_color("black" if weights[i, j] > 0.5 else "white")

    # -- Keras ----------------------------------------------------------------------------
    def _keras_layer(self, mode: str) -> Any:
        if mode not in self._keras_layers:
            tf = keras_check.tensorflow()
            self._keras_layers[mode] = tf.keras.layers.Attention(use_scale=True,
                                                                 score_mode=mode)
        return self._keras_layers[mode]

    def _update_keras(self, q: np.ndarray, v: np.ndarray, k: np.ndarray | None, mode: str,
                      scale: float, causal: bool) -> None:
        im, caption = self.images["keras"], self._keras_caption
        if mode == "cosine":
            im.set_visible(False)
            for t in self.texts["keras"].ravel():
                t.set_visible(False)
            caption.set_text(say("Keras's Attention has\nno cosine score mode:\nnothing to "
                                 "compare", "Keras 的 Attention\n没有余弦评分模式，\n无从比较"))
            caption.set_visible(True)
            self._keras_summary = say(" · Keras: no cosine mode", " · Keras：没有余弦模式")
            self.result.update(keras_weights=None, keras_output=None, keras_max_diff=None,
                               keras_note=say("Keras's Attention has no cosine score mode",
                                              "Keras 的 Attention 没有余弦评分模式"))
            self._status_html = say(
                "<b>Keras panel:</b> tf.keras.layers.Attention has no <code>cosine</code> "
                "score mode, so there is nothing to compare.",
                "<b>Keras 面板：</b>tf.keras.layers.Attention 没有 <code>cosine</code> "
                "评分模式，所以无从比较。")
            return
        keras_mode = "concat" if mode == "concat" else "dot"
        keras_scale = scale / math.sqrt(self.d) if mode == "scaled_dot" else scale
        # The numpy side is self.result (computed, and so checked, just before): only
        # Keras's half of check_attention is needed here.
        keras_output, keras_weights = keras_check.keras_attention(
            q, v, k, layer=self._keras_layer(keras_mode), scale=keras_scale,
            use_causal_mask=causal)
        diff = max(float(np.max(np.abs(keras_weights - self.result["weights"]))),
                   float(np.max(np.abs(keras_output - self.result["output"]))))
        note = (say("Keras has no scaled_dot mode: this is its dot mode with use_scale and "
                    f"scale = s/√{self.d}, exactly the same computation",
                    "Keras 没有 scaled_dot 模式：这里用的是它的 dot 模式，开启 use_scale，"
                    f"并把缩放权重设为 s/√{self.d}，计算完全相同") if mode == "scaled_dot"
                else f'Attention(use_scale=True, score_mode="{keras_mode}")')
        self.result.update(keras_weights=keras_weights, keras_output=keras_output,
                           keras_max_diff=diff, keras_note=note)
        im.set_visible(True)
        im.set_data(keras_weights)
        for (i, j), t in np.ndenumerate(self.texts["keras"]):
            w = keras_weights[i, j]
            t.set_visible(True)
            t.set_text(f"{w:.2f}")
            t.set_color("black" if w > 0.5 else "white")
        caption.set_visible(False)
        agree = diff <= FLOAT32_ATOL
        verdict = "agree" if agree else "DIFFER"
        zh_verdict = (f"在 {FLOAT32_ATOL:g} 以内一致" if agree
                      else f"超出 {FLOAT32_ATOL:g}，不一致")
        self._status_html = say(
            f"<b>Keras panel:</b> {note}. Largest |numpy − Keras| over weights and output: "
            f"{diff:.1e} ({verdict} within {FLOAT32_ATOL:g}; Keras computes in float32).",
            f"<b>Keras 面板：</b>{note}。权重和输出上 |numpy − Keras| 的最大值："
            f"{diff:.1e}（{zh_verdict}；Keras 以 float32 计算）。")
        self._keras_summary = (
            say(f" · Keras agrees within {FLOAT32_ATOL:g}",
                f" · Keras 在 {FLOAT32_ATOL:g} 以内一致") if agree else
            say(f" · Keras DIFFERS by more than {FLOAT32_ATOL:g}",
                f" · Keras 相差超过 {FLOAT32_ATOL:g}，不一致"))

    # -- display -------------------------------------------------------------------------
    @property
    def png(self) -> bytes:
        """The PNG bytes of the panels as last drawn."""
        return self.live.png

    def _ipython_display_(self) -> None:
        show_live(self.live.png, self.widget)

    def __repr__(self) -> str:
        return self._summary()
