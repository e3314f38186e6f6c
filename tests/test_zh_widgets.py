"""Every explorer speaks Chinese when asked (issue 15): its controls (descriptions, the
dropdowns' and toggle buttons' labels, buttons, readouts, the HTML beside them, the text
form) and the figure it draws (titles, axis labels, legends, captions, the numbers'
annotations) are Chinese with set_language("zh-CN"), drawn in a font that has the
characters; moving every control (the ends of its range included) keeps them so, with
no "Glyph ... missing from font" warning. In English every label is exactly what it was.

Callbacks are driven as the notebooks' tests drive them: by setting a control's .value.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.axis import Tick
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from attention_lib import i18n, reversal
from attention_lib.data import seed_arrays
from attention_lib.date_views import DateAlignmentExplorer, draw_date_alignment
from attention_lib.explorer import AttentionExplorer
from attention_lib.fonts import cjk_font
from attention_lib.mask_explorer import LAYER_RULES, MaskExplorer, masked_heatmap
from attention_lib.seq2seq_views import (
    AlignmentExplorer,
    TrainingProgress,
    draw_alignment,
    plot_accuracy_by_length,
)
from attention_lib.widgets import FigureExplorer

pytestmark = pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed")

CJK = re.compile("[\u3400-\u9fff]")
#: Words that stay English in Chinese text: the names of code (layers, modes, functions,
#: classes, libraries), as the Chinese notebooks keep them.
IDENTIFIERS = {"Keras", "Attention", "MultiHeadAttention", "softmax", "tanh", "cos", "numpy",
               "float32", "use_scale", "score_mode", "dot", "concat", "scaled_dot", "tf",
               "keras", "layers", "True", "JupyterLab", "AttentionExplorer", "MaskExplorer",
               "AlignmentExplorer", "DateAlignmentExplorer", "TrainingProgress",
               "FigureExplorer", "GRU", "Transformer"}
X = np.random.default_rng(0).normal(size=(8, 4))
DATE_TEXTS = ["2026年12月1日", "1 Dec 2026"]
DATE_OUTPUTS = ["2026-12-01", "2026-12-01"]
DATE_SPANS = np.array([[[0, 4], [5, 7], [8, 9], [0, 0]], [[6, 10], [2, 5], [0, 1], [0, 0]]])


@pytest.fixture(autouse=True)
def back_to_the_default(monkeypatch):
    """Every test picks its language; afterwards the switch is back to the default."""
    monkeypatch.delenv(i18n.ENV, raising=False)
    yield
    i18n.set_language(None)


@pytest.fixture
def zh() -> None:
    i18n.set_language("zh-CN")


@pytest.fixture
def en() -> None:
    i18n.set_language("en")


# -- what a text must be ------------------------------------------------------------------

def english_left(text: str) -> list[str]:
    """The English words of ``text`` that are not code (HTML tags, <code> spans, names
    of code, single letters and two-letter symbols such as dv or q0 are not words)."""
    text = re.sub(r"<code>.*?</code>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_0-9]*", text)
            if len(w) >= 3 and w not in IDENTIFIERS]


def assert_chinese(text: str, where: str) -> None:
    """``text`` holds Chinese and no English word but names of code."""
    assert CJK.search(text), f"{where} is not Chinese: {text!r}"
    assert not english_left(text), f"{where} keeps English {english_left(text)}: {text!r}"


def missing_glyphs(t: Text) -> set[str]:
    """The characters of ``t`` that none of the fonts it is drawn with has."""
    paths = font_manager.fontManager._find_fonts_by_props(t.get_fontproperties())
    charmaps = [font_manager.get_font(p).get_charmap() for p in paths]
    return {ch for ch in t.get_text() if not ch.isspace()
            and not any(ord(ch) in charmap for charmap in charmaps)}


def figure_texts(fig: Figure) -> Iterator[tuple[Text, bool]]:
    """Every visible, non-empty Text of ``fig`` and whether it is a tick label."""
    ticks = {id(t) for tick in fig.findobj(Tick) for t in (tick.label1, tick.label2)}
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text():
            yield t, id(t) in ticks


def assert_figure_chinese(fig: Figure) -> None:
    """Every text of ``fig`` can be drawn with its fonts; titles, axis labels, legends
    and the other texts (not the tick labels, which are data) keep no English word; and
    every title and axis label is Chinese."""
    for t, is_tick in figure_texts(fig):
        assert not missing_glyphs(t), (t.get_text(), t.get_fontfamily())
        if not is_tick:
            assert not english_left(t.get_text()), t.get_text()
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        for name, text in (("title", ax.get_title()), ("x label", ax.get_xlabel()),
                           ("y label", ax.get_ylabel())):
            if text:
                assert_chinese(text, f"the {name}")


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def control_texts(widget: widgets.Widget) -> list[tuple[str, str]]:
    """(what, text) for every text the widget tree shows: descriptions, option labels,
    tooltips, HTML and Label values, the canvas's alternative text."""
    found = []
    for w in walk(widget):
        kind = type(w).__name__
        for trait in ("description", "tooltip", "alt"):
            text = getattr(w, trait, None) if w.has_trait(trait) else None
            if text:
                found.append((f"{kind}.{trait}", text))
        for label in getattr(w, "_options_labels", ()):
            found.append((f"{kind} option", label))
        if isinstance(w, widgets.HTML | widgets.Label) and w.value:
            found.append((f"{kind}.value", w.value))
    return found


def assert_controls_chinese(widget: widgets.Widget, *, data_options: bool = False) -> None:
    """Every description and button is Chinese; every text keeps no English word, the
    slider grids' tooltips (query[0, 1]: code) and, with ``data_options``, the caller's
    own option labels aside."""
    texts = control_texts(widget)
    assert texts
    for what, text in texts:
        if what.endswith(".description"):
            assert_chinese(text, what)
        elif (what == "Dropdown option" and data_options) or (
                what == "FloatSlider.tooltip" and re.fullmatch(r"\w+\[\d+, \d+\]", text)):
            continue
        else:
            assert not english_left(text), (what, text)


def agg_draw(fig: Figure) -> None:
    """Draw ``fig`` with Agg (a bare Figure's own canvas draws nothing)."""
    FigureCanvasAgg(fig).draw()


def strict(action):
    """Run ``action`` with every warning an error (a glyph missing from a font is one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return action()


def test_the_checks_can_fail():
    """The checks above catch what they are for: English left in, a text drawn in a font
    without Chinese, and matplotlib's warning about it."""
    assert english_left("<b>Keras panel:</b> 一致") == ["panel"]
    assert english_left("<code>cosine</code> q0 dv tf.keras.layers.Attention") == []
    with pytest.raises(AssertionError, match="not Chinese"):
        assert_chinese("score", "a label")
    fig = Figure()
    boxes = fig.text(0.5, 0.5, "检验字形")      # the default font: DejaVu Sans alone
    assert missing_glyphs(boxes) == set("检验字形")
    with pytest.raises(UserWarning, match="missing from font"):
        strict(lambda: agg_draw(fig))
    with pytest.raises(AssertionError):
        assert_figure_chinese(fig)


# -- the attention explorer ---------------------------------------------------------------

def explorer_state_is_chinese(ex: AttentionExplorer) -> None:
    assert_controls_chinese(ex.widget)
    assert_chinese(repr(ex), "the text form")
    png = strict(lambda: ex.png)
    assert png.startswith(b"\x89PNG")
    assert_figure_chinese(ex.live.figure)
    assert_chinese(ex._caption.get_text(), "the caption")
    for t in ex.texts["scores"].ravel():
        assert t.get_text() == "掩蔽" or re.fullmatch(r"−?[\d.]+", t.get_text()), t.get_text()


def test_the_attention_explorer_in_chinese_through_every_control(zh):
    s = seed_arrays()
    ex = strict(lambda: AttentionExplorer(s["query"], s["value"], s["key"]))
    labels = [(w.description, list(getattr(w, "_options_labels", ())))
              for w in (ex.score_mode, ex.scale, ex.causal, ex.key_is_value, ex.reset_button)]
    assert labels == [("评分", ["点积：q·k", "concat（Keras）：Σ tanh(q+k)", "缩放点积：q·k/√d",
                                "余弦：cos(q, k)"]),
                      ("缩放", []), ("因果掩码", []), ("键 = 值", []), ("重置", [])]
    assert [t.get_text() for t in (ax.title for ax in ex.live.figure.axes)][:3] == [
        "1 · 评分", "2 · softmax 权重", "3 · 输出 = 权重 @ V"]
    explorer_state_is_chinese(ex)
    for grid in (ex.query_sliders, ex.key_sliders, ex.value_sliders):
        for slider in grid.ravel():
            for value in (slider.min, slider.max, 0.0):
                strict(lambda s=slider, v=value: setattr(s, "value", v))
    explorer_state_is_chinese(ex)
    for mode in [value for _label, value in ex.score_mode.options]:
        for exponent in (ex.scale.min, ex.scale.max, 0.0):
            for causal in (True, False):
                for same in (True, False):
                    def move(m=mode, e=exponent, c=causal, k=same):
                        ex.score_mode.value = m
                        ex.scale.value = 10.0 ** e
                        ex.causal.value = c
                        ex.key_is_value.value = k
                    strict(move)
                    explorer_state_is_chinese(ex)
                    caption = ex._caption.get_text()
                    assert ("因果掩码：开" if causal else "因果掩码：关") in caption
                    assert ("键 = 值" if same else "键单独设置") in caption
                    assert (ex.texts["scores"][0, 1].get_text() == "掩蔽") == causal
    strict(ex.reset_button.click)
    explorer_state_is_chinese(ex)
    assert ex.score_mode.value == "dot" and not ex.causal.value


def test_the_attention_explorer_without_a_key_switch_says_why_in_chinese(zh):
    rng = np.random.default_rng(0)
    ex = AttentionExplorer(rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, (4, 5)),
                           rng.uniform(-1, 1, (4, 2)))
    assert ex.key_is_value.disabled
    assert ex.key_is_value.tooltip == "需要 d == dv（查询有 2 个特征，值有 5 个）"
    assert repr(ex) == "AttentionExplorer（查询 3×2，键 4×2，值 4×5；不带 Keras 面板）"
    explorer_state_is_chinese(ex)


@pytest.fixture(scope="module")
def keras_explorer_zh():
    pytest.importorskip("tensorflow")
    i18n.set_language("zh-CN")
    try:
        s = seed_arrays()
        yield AttentionExplorer(s["query"], s["value"], s["key"], keras=True)
    finally:
        i18n.set_language(None)


def test_the_keras_panel_in_chinese(keras_explorer_zh, zh):
    ex = keras_explorer_zh
    assert repr(ex) == "AttentionExplorer（查询 2×3，键 2×3，值 2×3；带 Keras 面板）"
    assert ex.live.figure.axes[3].get_title() == "Keras 的权重"
    for mode in ("dot", "scaled_dot", "concat", "cosine"):
        for causal in (False, True):
            def move(m=mode, c=causal):
                ex.score_mode.value = m
                ex.causal.value = c
            strict(move)
            explorer_state_is_chinese(ex)
            status = ex.status.value
            assert_chinese(status, "the Keras panel's status")
            assert status.startswith("<b>Keras 面板：</b>")
            if mode == "cosine":
                assert "无从比较" in status and ex._keras_caption.get_visible()
                assert_chinese(ex._keras_caption.get_text(), "the Keras panel's caption")
            else:
                assert "在 1e-05 以内一致" in status and "不一致" not in status
                assert ex._caption.get_text().endswith(" · Keras 在 1e-05 以内一致")
            if mode == "scaled_dot":
                assert "Keras 没有 scaled_dot 模式" in status
    strict(ex.reset)


# -- the mask explorer --------------------------------------------------------------------

def test_the_mask_explorer_in_chinese_through_every_control(zh):
    ex = strict(lambda: MaskExplorer(X, length=6, padding=2))
    c = ex.controls
    assert [c[k].description for k in ("length", "padding", "causal", "layer")] == [
        "长度", "填充", "因果掩码", "层"]
    # The labels change; the values stay the layers' names (the notebooks set them).
    assert c["layer"].options == (("Attention", "Attention"),
                                  ("MultiHeadAttention，融合路径",
                                   "MultiHeadAttention, fused path"),
                                  ("MultiHeadAttention，显式路径",
                                   "MultiHeadAttention, explicit path"))
    assert repr(ex) == "MaskExplorer（最多 8 个词元的序列：长度、填充、因果掩码、层）"
    for layer in LAYER_RULES:
        for length in (c["length"].min, c["length"].max, 3):
            for padding in sorted({0, 1, length}):
                for causal in (True, False):
                    def move(la=layer, n=length, p=padding, ca=causal):
                        c["layer"].value = la
                        c["length"].value = n
                        c["padding"].value = p
                        c["causal"].value = ca
                    strict(move)
                    assert_controls_chinese(ex.widget)
                    assert_figure_chinese(ex.figure)
                    ax = ex.figure.axes[0]
                    title = ax.get_title()
                    assert f"长度 {length}，填充 {padding}" in title
                    assert ("，因果掩码" in title) == causal
                    assert ("行完全被掩蔽" in title) == bool(ex.result["fully_masked"].any())
                    ticks = [t.get_text() for t in ax.get_xticklabels()]
                    assert ticks[length - padding:] == ["填充"] * padding
                    assert ax.get_xlabel() == "键位置（斜线阴影 = 被掩蔽）"
    assert c["layer"].value == "MultiHeadAttention, explicit path"
    assert "MultiHeadAttention，显式路径" in ex.figure.axes[0].get_title()


def test_the_masked_heatmap_alone_in_chinese(zh):
    fig = Figure()
    masked_heatmap(fig.subplots(), np.tril(np.full((3, 3), 0.5)), np.tri(3, dtype=bool))
    assert fig.axes[0].get_title() == "注意力权重"
    strict(lambda: agg_draw(fig))
    assert_figure_chinese(fig)


# -- notebook 05's views ------------------------------------------------------------------

def reversal_examples() -> list[reversal.Example]:
    """Three examples cut to length, one whose output holds padding and start tokens (an
    untrained model's): letters are tokens 2 and up."""
    made = []
    for n, wrong in ((3, 0), (5, 1), (4, 4)):
        source = np.arange(n) % 6 + 2
        target = source[::-1].copy()
        output = target.copy()
        output[:wrong] = [reversal.PAD, reversal.START, reversal.PAD, reversal.START][:wrong]
        made.append(reversal.Example(source, output, target, np.eye(n)[::-1]))
    return made


def test_the_alignment_explorer_in_chinese_through_every_example(zh):
    examples = reversal_examples()
    ex = strict(lambda: AlignmentExplorer(examples))
    assert ex.dropdown.description == "样本"
    assert list(ex.dropdown._options_labels) == [
        "长度 3：3/3 个词元正确", "长度 5：4/5 个词元正确", "长度 4：0/4 个词元正确"]
    assert repr(ex) == "AlignmentExplorer（3 个测试样本）"
    for i in (2, 0, 1, 2):
        strict(lambda i=i: setattr(ex.dropdown, "value", i))
        assert_controls_chinese(ex.explorer.widget)
        assert_figure_chinese(ex.figure)
        assert ex.ax.get_title() == f"注意力权重，{ex.dropdown._options_labels[i]}"
    assert [t.get_text() for t in ex.ax.get_yticklabels()] == ["填充", "起始", "填充", "起始"]


def test_the_alignment_heatmap_and_accuracy_plot_in_chinese(zh):
    fig = Figure()
    draw_alignment(fig.subplots(), np.eye(3), [2, 3, 4], [reversal.PAD, reversal.START, 2])
    strict(lambda: agg_draw(fig))
    assert_figure_chinese(fig)
    assert fig.axes[0].get_xlabel() == "源词元（编码器位置）"
    fig = Figure()
    ax = fig.subplots()
    plot_accuracy_by_length(ax, {"GRU": {5: 0.5, 6: 0.25}, "注意力": {5: 1.0, 6: 0.9}},
                            chance=0.125, shade=range(6, 7))
    strict(lambda: agg_draw(fig))
    assert_figure_chinese(fig)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("序列长度", "逐词元测试准确率")
    assert " 随机猜测" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GRU", "注意力"]


def test_training_progress_in_chinese(zh):
    p = TrainingProgress(10, ["GRU", "Transformer"])
    assert (p.bar.description, p.label.value) == ("训练", "即将开始")
    p.callback("GRU")(10, 0.5)
    assert re.fullmatch(r"GRU：第 10/10 步，损失 0\.500（每秒 \d+ 步）", p.label.value)
    p.finish()
    assert p.label.value == "完成：2 个模型，每个 10 步（GRU、Transformer）"
    assert repr(p) == ("TrainingProgress（GRU，然后 Transformer，每个 10 步；"
                       "进度条在 JupyterLab 中实时显示）")
    assert_controls_chinese(p.widget)


# -- the date views -----------------------------------------------------------------------

def date_weights(heads: int | None = None) -> np.ndarray:
    rng = np.random.default_rng(0)
    w = rng.random((2, 10, 12) if heads is None else (2, heads, 10, 12))
    return w / w.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("heads", [None, 4])
def test_the_date_explorer_in_chinese_through_every_example_and_head(zh, heads):
    ex = strict(lambda: DateAlignmentExplorer(date_weights(heads), DATE_TEXTS, DATE_OUTPUTS,
                                              ["zh_CN long: 2026年12月1日", "en_GB: 1 Dec"],
                                              spans=DATE_SPANS))
    assert ex.dropdown.description == "样本"
    assert repr(ex) == ("DateAlignmentExplorer（2 个样本，4 个头，注意力）" if heads else
                        "DateAlignmentExplorer（2 个样本，注意力）")
    heads_shown = [None]
    if heads:
        assert ex.head.description == "头"
        assert list(ex.head._options_labels) == ["平均", "头 0", "头 1", "头 2", "头 3"]
        heads_shown = [value for _label, value in ex.head.options]
    for example in (1, 0, 1):
        for head in heads_shown:
            def move(e=example, h=head):
                ex.dropdown.value = e
                if h is not None:
                    ex.head.value = h
            strict(move)
            assert_controls_chinese(ex.explorer.widget, data_options=True)
            assert_figure_chinese(ex.figure)
            title = ex.ax.get_title()
            assert title == ("注意力" if head is None else
                             "注意力，各头的平均" if head == -1 else f"注意力，头 {head}")
            assert (ex.ax.get_xlabel(), ex.ax.get_ylabel()) == ("源字符", "输出字符（解码步）")


def test_a_callers_own_title_is_kept_as_given(zh):
    ex = DateAlignmentExplorer(date_weights(2), DATE_TEXTS, DATE_OUTPUTS, ["a", "b"],
                               title="cross-attention")
    assert ex.ax.get_title() == "cross-attention，各头的平均"
    fig = Figure()
    draw_date_alignment(fig.subplots(), date_weights()[0], DATE_TEXTS[0], DATE_OUTPUTS[0],
                        title="交叉注意力")
    strict(lambda: agg_draw(fig))
    assert_figure_chinese(fig)


def test_a_figure_explorers_own_texts_in_chinese(zh):
    fig = Figure()
    ex = FigureExplorer(fig, lambda a: None, {"a": widgets.IntSlider(description="甲")})
    assert repr(ex.widget) == "FigureExplorer（控件：a）"
    assert ex.live.view.alt == "图"


# -- the controls still fit ---------------------------------------------------------------

def em(text: str) -> float:
    """A text's width in ems, roughly: a wide (CJK, full-width) character 1, others 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def built_in_both() -> list[tuple[widgets.Widget, widgets.Widget]]:
    """Every explorer's widget tree, built in English and in Chinese."""
    s = seed_arrays()
    makers = [lambda: AttentionExplorer(s["query"], s["value"], s["key"]).widget,
              lambda: MaskExplorer(X, length=6, padding=2).widget,
              lambda: AlignmentExplorer(reversal_examples()).explorer.widget,
              lambda: DateAlignmentExplorer(date_weights(8), DATE_TEXTS, DATE_OUTPUTS,
                                            ["a", "b"]).explorer.widget,
              lambda: TrainingProgress(10, ["GRU"]).widget]
    pairs = []
    for make in makers:
        i18n.set_language("en")
        english = make()
        i18n.set_language("zh-CN")
        pairs.append((english, make()))
    return pairs


def test_no_chinese_label_is_wider_than_the_english_one():
    """The layouts (description widths, dropdown widths, the head buttons' 64 px) were
    made for the English labels: every Chinese one fits where the English one did."""
    for english, chinese in built_in_both():
        en_controls, zh_controls = list(walk(english)), list(walk(chinese))
        assert [type(w).__name__ for w in en_controls] == [type(w).__name__ for w in zh_controls]
        for en_w, zh_w in zip(en_controls, zh_controls, strict=True):
            if en_w.has_trait("description"):
                assert em(zh_w.description) <= em(en_w.description), (
                    zh_w.description, en_w.description)
            for en_label, zh_label in zip(getattr(en_w, "_options_labels", ()),
                                          getattr(zh_w, "_options_labels", ()), strict=True):
                assert em(zh_label) <= em(en_label), (zh_label, en_label)


# -- English: exactly as before -----------------------------------------------------------

def test_english_labels_are_exactly_as_before(en):
    s = seed_arrays()
    ex = AttentionExplorer(s["query"], s["value"], s["key"])
    assert [(w.description, list(getattr(w, "_options_labels", ())))
            for w in (ex.score_mode, ex.scale, ex.causal, ex.key_is_value, ex.reset_button)
            ] == [("score", ["dot: q·k", "concat (Keras): Σ tanh(q+k)", "scaled dot: q·k/√d",
                             "cosine: cos(q, k)"]),
                  ("scale", []), ("causal mask", []), ("key = value", []), ("reset", [])]
    assert ex.key_is_value.tooltip == "use the value matrix as the key"
    assert [w.value for w in walk(ex.widget) if isinstance(w, widgets.HTML)][:3] == [
        "<b>query Q (2 × 3)</b>", "<b>key K (2 × 3)</b>", "<b>value V (2 × 3)</b>"]
    assert ex.live.view.alt == "heatmaps of the scores, the softmax weights and the output"
    assert [ax.get_title() for ax in ex.live.figure.axes][:3] == [
        "1 · scores", "2 · softmax weights", "3 · output = weights @ V"]
    ex.causal.value = True
    assert ex._caption.get_text() == ("score q·k × 1.00 (scale s = 1.00) · causal mask on · "
                                      "key own")
    assert ex.texts["scores"][0, 1].get_text() == "masked"

    me = MaskExplorer(X, length=6, padding=2)
    assert [me.controls[k].description for k in ("length", "padding", "causal", "layer")] == [
        "length", "padding", "causal mask", "layer"]
    assert me.controls["layer"].options == tuple(LAYER_RULES)
    me.controls["layer"].value = "MultiHeadAttention, fused path"
    ax = me.figure.axes[0]
    assert ax.get_title() == ("MultiHeadAttention, fused path, length 6, padding 2, causal\n"
                              "2 fully masked rows -> uniform 1/6 over every key")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("key position (hatched = masked)",
                                                  "query position")
    assert [t.get_text() for t in ax.get_xticklabels()][-2:] == ["pad", "pad"]
    assert me.explorer.live.view.alt == "figure"

    al = AlignmentExplorer(reversal_examples())
    assert al.dropdown.description == "example"
    assert list(al.dropdown._options_labels) == [e.label for e in reversal_examples()]
    assert al.ax.get_title() == "attention weights, length 3: 3/3 tokens right"
    assert (al.ax.get_xlabel(), al.ax.get_ylabel()) == ("source token (encoder position)",
                                                        "output token (decoder step)")

    de = DateAlignmentExplorer(date_weights(2), DATE_TEXTS, DATE_OUTPUTS, ["a", "b"])
    assert (de.dropdown.description, de.head.description) == ("example", "head")
    assert list(de.head._options_labels) == ["mean", "head 0", "head 1"]
    de.head.value = 1
    assert de.ax.get_title() == "attention, head 1"
    assert repr(de) == "DateAlignmentExplorer(2 examples, 2 heads, attention)"
    assert (de.ax.get_xlabel(), de.ax.get_ylabel()) == ("source character",
                                                        "output character (decoder step)")

    p = TrainingProgress(10, ["a"])
    assert (p.bar.description, p.label.value) == ("training", "starting")
    fig = Figure()
    plot_accuracy_by_length(fig.subplots(), {"x": {5: 0.5}}, chance=0.1)
    assert [t.get_text() for t in fig.axes[0].texts] == [" chance"]
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == (
        "sequence length", "per-token test accuracy")
    fe = FigureExplorer(Figure(), lambda a: None, {"a": widgets.IntSlider()})
    assert repr(fe.widget) == "FigureExplorer(controls: a)"
