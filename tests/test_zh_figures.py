"""The figures of plots, diagrams and history in Chinese (issue 15): with the language set to
zh-CN every title, label, legend entry and annotation they write is Chinese (no English
prose left; identifiers, tokens, numbers and formulas may stay), drawing raises no
"Glyph ... missing" warning and logs no mathtext dummy symbol, and every text that holds
Chinese resolves to a font that has its characters. In English the same figures show
exactly the texts they showed before, in the fonts they had."""

from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib import cbook, font_manager, rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from attention_lib import data, diagrams, glimpse, history, plots
from attention_lib.fonts import (
    DefaultText,
    cjk_font,
    families_for,
    fit_fonts,
    has_cjk,
    said,
)
from attention_lib.i18n import set_language

pytestmark = pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed")


@pytest.fixture
def zh():
    set_language("zh-CN")
    yield
    set_language(None)


@pytest.fixture
def en():
    set_language("en")
    yield
    set_language(None)


# -- the drawings, as the notebooks make them ------------------------------------------------

TOY = data.toy_translation()
NOIR = TOY.target.index("noir")
RNG_S = np.random.default_rng(1)
H_S, H_T = RNG_S.normal(size=(10, 4)), RNG_S.normal(size=(3, 4))


def _axes(figsize, ncols=1, **kwargs):
    fig = Figure(figsize=figsize, **kwargs)
    return fig, fig.subplots(1, ncols, **({"sharey": True} if ncols > 1 else {}))


def weights_heatmap_01() -> Figure:
    fig, ax = _axes((4.8, 3.8))
    plots.weights_heatmap(ax, TOY.alignment, query_labels=list(TOY.target),
                          key_labels=list(TOY.source))
    return fig


def data_flow_03() -> Figure:
    fig, ax = _axes((13, 6), layout="constrained")
    diagrams.draw_data_flow(ax, tq=2, tv=2, d=3, dv=3)
    return fig


def decoder_step_01() -> Figure:
    fig, ax = _axes((11, 5.5))
    diagrams.draw_encoder_decoder_step(ax, list(TOY.source), TOY.alignment[NOIR], step=NOIR,
                                       target=list(TOY.target))
    return fig


def decoder_step_05() -> Figure:
    fig, ax = _axes((11, 5.5), layout="constrained")
    diagrams.draw_encoder_decoder_step(ax, ["a", "b", "c", "d"], [0.05, 0.10, 0.75, 0.10],
                                       step=1, target=["d", "c", "b", "a"])
    return fig


def decoder_step_no_target() -> Figure:
    fig, ax = _axes((11, 5.5), layout="constrained")
    diagrams.draw_encoder_decoder_step(ax, ["a", "b", "c"], [0.2, 0.5, 0.3], step=0)
    return fig


def soft_vs_hard_01() -> Figure:
    fig, axes = _axes((11, 4), 2, layout="constrained")
    diagrams.draw_soft_vs_hard(*axes, TOY.alignment[NOIR], list(TOY.source))
    return fig


def soft_vs_hard_sampled() -> Figure:
    fig, axes = _axes((11, 4), 2, layout="constrained")
    diagrams.draw_soft_vs_hard(*axes, TOY.alignment[NOIR], list(TOY.source), choice=0)
    return fig


def mask_grid_07() -> Figure:
    fig, ax = _axes((5, 4.5), layout="constrained")
    diagrams.draw_mask_grid(ax, np.tril(np.ones((5, 5), bool)), query_labels=list("abcde"),
                            key_labels=list("abcde"))
    return fig


def timeline_01() -> Figure:
    fig, ax = _axes((12, 4.2))
    history.draw_timeline(ax)
    return fig


def glimpse_digit_01() -> Figure:
    return history.glimpse_figure(glimpse.toy_digit(28), (7, 20), patch=6, scales=3)


def glimpse_photo_01() -> Figure:
    return history.glimpse_figure(history.grace_hopper(4), (48, 66), patch=8, scales=4)


def glimpse_path_08() -> Figure:
    photo = history.grace_hopper(4)
    path = glimpse.glimpse_path(photo, (0.0, 0.0), np.random.default_rng(0), steps=6,
                                sigma=0.2, patch=8, scales=4)
    return history.glimpse_path_figure(photo, path)


def local_window_08() -> Figure:
    return history.local_window_explorer(H_T[0], H_S, position=2.9, half_width=2,
                                         max_half_width=10).figure


def local_window_moved() -> Figure:
    explorer = history.local_window_explorer(H_T[0], H_S, position=2.9, half_width=2,
                                             max_half_width=10)
    explorer.redraw(5)
    return explorer.figure


CASES: dict[str, Callable[[], Figure]] = {f.__name__: f for f in (
    weights_heatmap_01, data_flow_03, decoder_step_01, decoder_step_05, decoder_step_no_target,
    soft_vs_hard_01, soft_vs_hard_sampled, mask_grid_07, timeline_01, glimpse_digit_01,
    glimpse_photo_01, glimpse_path_08, local_window_08, local_window_moved)}

#: What each drawing showed in English before the Chinese edition: its non-numeric texts,
#: each once, in the order of Figure.findobj. The English edition's outputs depend on these.
ENGLISH = {
    "weights_heatmap_01": [
        "key position", "the", "black", "cat", "sleeps", "query position", "le", "chat",
        "noir", "dort", "attention weights"],
    "data_flow_03": [
        "query  (2 × 3)", "key  (2 × 3)", "value  (2 × 3)", "1 · scores  (2 × 2)",
        "2 · softmax weights  (2 × 2)", "3 · output  (2 × 3)", r"cell $(i, j) = q_i \cdot k_j$",
        "each row sums to 1", r"row $i = \Sigma_j\, w_{ij}\, v_j$", "q · kᵀ",
        "softmax over keys", "weights @ value",
        "1 · scores: each query against each key,  (Tq × d) · (d × Tv) → (Tq × Tv)\n"
        "2 · softmax weights: each row of scores → weights ≥ 0 that sum to 1\n"
        "3 · output: a weighted sum of the values,  (Tq × Tv) @ (Tv × dv) → (Tq × dv)",
        "Attention in three stages: query → scores → softmax → weighted sum"],
    "decoder_step_01": [
        "the", "black", "cat", "sleeps", "$h_{1}$", "$h_{2}$", "$h_{3}$", "$h_{4}$",
        "encoder states (keys and values)",
        r"arrow width and colour: the weight $\alpha_{ij}$ of each $h_j$",
        r"context $c_i = \Sigma_j\, \alpha_{ij}\, h_j$", "decoder state $s_{i-1}$ (query)",
        r"scores every $h_j$; softmax over $j$ gives $\alpha_{ij}$", "next state $s_i$",
        "output word $y_i$ = 'noir'", "previous word\n$y_{i-1}$ = 'chat'",
        "One decoder step with attention (step i = 2): producing 'noir'"],
    "decoder_step_05": [
        "a", "b", "c", "d", "$h_{1}$", "$h_{2}$", "$h_{3}$", "$h_{4}$",
        "encoder states (keys and values)",
        r"arrow width and colour: the weight $\alpha_{ij}$ of each $h_j$",
        r"context $c_i = \Sigma_j\, \alpha_{ij}\, h_j$", "decoder state $s_{i-1}$ (query)",
        r"scores every $h_j$; softmax over $j$ gives $\alpha_{ij}$", "next state $s_i$",
        "output word $y_i$ = 'c'", "previous word\n$y_{i-1}$ = 'd'",
        "One decoder step with attention (step i = 1): producing 'c'"],
    "decoder_step_no_target": [
        "a", "b", "c", "$h_{1}$", "$h_{2}$", "$h_{3}$", "encoder states (keys and values)",
        r"arrow width and colour: the weight $\alpha_{ij}$ of each $h_j$",
        r"context $c_i = \Sigma_j\, \alpha_{ij}\, h_j$", "decoder state $s_{i-1}$ (query)",
        r"scores every $h_j$; softmax over $j$ gives $\alpha_{ij}$", "next state $s_i$",
        "output word $y_i$", "One decoder step with attention (step i = 0)"],
    "soft_vs_hard_01": [
        "result $= \\Sigma_j\\, \\alpha_j\\, v_j$\n(every place counts, by its weight)", "the",
        "black", "cat", "sleeps", "weight", "soft: a weighted average of all",
        "result = the value at 'black'\n(the argmax: no other place counts)",
        "hard: pick one place"],
    "soft_vs_hard_sampled": [
        "result $= \\Sigma_j\\, \\alpha_j\\, v_j$\n(every place counts, by its weight)", "the",
        "black", "cat", "sleeps", "weight", "soft: a weighted average of all",
        "result = the value at 'the'\n(sampled, choice = 0: no other place counts)",
        "hard: pick one place"],
    "mask_grid_07": [
        "✓", "×", "key position", "a", "b", "c", "d", "e", "query position", "mask",
        "✓ True = attend", "× False = masked"],
    "timeline_01": [
        "Mnih et al. [21]\nRecurrent models of\nvisual attention\n\nlook at a few glimpses,\n"
        "choosing where to look\nnext (hard attention)",
        "Bahdanau et al. [22]\nJointly learning to\nalign and translate\n\nadditive attention: "
        "every\nsource word scored by\nv^T\xa0tanh(W_q\xa0q\xa0+\xa0W_k\xa0k)",
        "Luong et al. [23]\nEffective approaches to\nattention-based NMT\n\ndot, general and "
        "concat\nscores; global (all words)\nvs local (a window)",
        "Yin et al. [24]\nABCNN\n\nan attention matrix\nbetween two sentences' CNN\n"
        "feature maps",
        "Vaswani et al. [10]\nAttention is all you\nneed\n\nself-attention alone,\nscaled dot "
        "products, many\nheads: the Transformer",
        "Attention, 2014 to 2017: the seed's five milestones"],
    "glimpse_digit_01": [
        "image and glimpse squares", "scale 0: 6x6 px\nshrunk to 6x6",
        "scale 1: 12x12 px\nshrunk to 6x6", "scale 2: 24x24 px\nshrunk to 6x6",
        "what the retina sees"],
    "glimpse_photo_01": [
        "image and glimpse squares", "scale 0: 8x8 px\nshrunk to 8x8",
        "scale 1: 16x16 px\nshrunk to 8x8", "scale 2: 32x32 px\nshrunk to 8x8",
        "scale 3: 64x64 px\nshrunk to 8x8", "what the retina sees"],
    "glimpse_path_08": [
        "$l_0$", "$l_1$", "$l_2$", "$l_3$", "$l_4$", "$l_5$",
        "6 glimpses: each $l_{t+1}$ sampled around a mean", "$l_t$: where glimpse t looks",
        "mean from the location network", "step 0: seen at $l_0$", "step 1: seen at $l_1$",
        "step 2: seen at $l_2$", "step 3: seen at $l_3$", "step 4: seen at $l_4$",
        "step 5: seen at $l_5$"],
    "local_window_08": [
        "source position s", "attention weight",
        "D = 2, sigma = D/2 = 1: local-p uses 4 of 10 source positions",
        "global: every position", "local-p: window only", "p_t = 2.90"],
    "local_window_moved": [
        "source position s", "attention weight",
        "D = 5, sigma = D/2 = 2.5: local-p uses 8 of 10 source positions",
        "global: every position", "local-p: window only", "p_t = 2.90"],
}

# -- reading a drawn figure ------------------------------------------------------------------

_NUMBER = re.compile(r"^[\d.\-−]+$")
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.S)
#: Words that may stay in a Chinese figure: tokens the drawings are given, names, and
#: identifiers of the code and the papers (score modes, Keras booleans, functions).
KEPT = {"the", "black", "cat", "sleeps", "le", "chat", "noir", "dort",
        "Mnih", "Bahdanau", "Luong", "Yin", "Vaswani", "ABCNN", "CNN", "Transformer",
        "softmax", "argmax", "choice", "dot", "general", "concat", "tanh", "sigma", "local",
        "True", "False", "Tq", "Tv", "dv"}


def draw(fig: Figure, caplog: pytest.LogCaptureFixture) -> list[Text]:
    """Draw ``fig`` on an Agg canvas, every warning an error (a missing glyph raises) and no
    mathtext dummy symbol logged; return its visible texts, in findobj order."""
    canvas = FigureCanvasAgg(fig)
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        canvas.draw()
    dummies = [r.getMessage() for r in caplog.records if "does not have a glyph" in
               r.getMessage()]
    assert not dummies, dummies
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text() and t.get_figure(root=True) is fig]


def shown(texts: list[Text]) -> list[str]:
    """The non-numeric strings, each once, in order."""
    out: list[str] = []
    for t in texts:
        s = t.get_text()
        if not _NUMBER.match(s) and s not in out:
            out.append(s)
    return out


def english_words(text: str) -> list[str]:
    """The English words of ``text`` outside its $maths$, bar :data:`KEPT` (one letter is a
    symbol, not a word)."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", _MATH.sub(" ", text)) if w not in KEPT]


def missing_glyphs(t: Text) -> list[str]:
    """The Chinese characters of ``t`` that the fonts it resolves to lack. Plain text falls
    back along its family list; mathtext draws its words in the one font findfont gives."""
    chars = sorted({ch for ch in t.get_text() if has_cjk(ch)})
    prop = t.get_fontproperties()
    if t.get_parse_math() and cbook.is_math_text(t.get_text()):
        paths = [font_manager.findfont(prop)]
    else:
        paths = []
        for family in prop.get_family():
            one = prop.copy()
            one.set_family([family])
            try:
                paths.append(font_manager.findfont(one, fallback_to_default=False))
            except ValueError:
                pass
    fonts = [font_manager.get_font(p) for p in paths]
    return [ch for ch in chars if not any(f.get_char_index(ord(ch)) for f in fonts)]


# -- Chinese -----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_chinese_figures_speak_chinese_in_a_font_that_has_it(case, caplog):
    set_language("en")
    try:
        english = draw(CASES[case](), caplog)
        set_language("zh-CN")
        chinese = draw(CASES[case](), caplog)
    finally:
        set_language(None)
    assert len(chinese) == len(english)
    assert any(has_cjk(t.get_text()) for t in chinese)
    for e, z in zip(english, chinese, strict=True):
        if english_words(e.get_text()):                           # (a) what was English
            assert has_cjk(z.get_text()), f"{e.get_text()!r} is not translated"
        assert not english_words(z.get_text()), \
            f"English left in {z.get_text()!r}: {english_words(z.get_text())}"   # (b)
        if has_cjk(z.get_text()):                                 # (d)
            assert not missing_glyphs(z), (z.get_text(), z.get_fontfamily())


def _boxes(texts: list[Text]):
    out = []
    for t in texts:
        patch = t.get_bbox_patch()
        out.append((t.get_text(), (patch if patch is not None else t).get_window_extent()))
    return out


@pytest.mark.parametrize("case", ["data_flow_03", "decoder_step_01", "decoder_step_05",
                                  "soft_vs_hard_sampled", "mask_grid_07", "timeline_01",
                                  "local_window_08"])
def test_chinese_texts_stay_apart(case, zh, caplog):
    """Chinese is taller than Latin at the same size: no two texts of a diagram overlap (the
    timeline's boxes, a decoder step's nodes and captions, the legends)."""
    fig = CASES[case]()
    texts = [t for t in draw(fig, caplog) if t.get_text().strip()
             and t.get_text() not in ("✓", "×") and t.axes is not None]
    mine = [t for t in texts if t in t.axes.texts or t is t.axes.title
            or t in (t.axes.xaxis.label, t.axes.yaxis.label)
            or (t.axes.get_legend() is not None and t in t.axes.get_legend().get_texts())]
    for (a, box_a), (b, box_b) in itertools.combinations(_boxes(mine), 2):
        assert not box_a.shrunk(0.98, 0.98).overlaps(box_b.shrunk(0.98, 0.98)), (a, b)


def test_the_slider_title_and_summary_speak_chinese(zh, caplog):
    explorer = history.local_window_explorer(H_T[0], H_S, position=2.9, half_width=2,
                                             max_half_width=10)
    explorer.redraw(7)
    title = explorer.ax.title
    assert title.get_text() == "D = 7，sigma = D/2 = 3.5：local-p 用到 10 个源位置中的 10 个"
    draw(explorer.figure, caplog)
    assert not missing_glyphs(title)
    assert repr(explorer) == ("LocalWindowExplorer（p_t = 2.90 处的全局与 local-p 权重；"
                              "滑块 D 从 1 到 10）")


def test_chinese_words_of_the_figures(zh):
    """The terms of d2l-zh and of the Chinese notebooks."""
    fig, ax = _axes((4.8, 3.8))
    plots.weights_heatmap(ax, TOY.alignment)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("注意力权重", "键位置",
                                                                  "查询位置")
    fig, ax = _axes((5, 4.5))
    out = diagrams.draw_mask_grid(ax, np.eye(3, dtype=bool))
    assert ax.get_title() == "掩码"
    assert [t.get_text() for t in out["legend"].get_texts()] == ["✓ True = 可以关注",
                                                                 "× False = 被掩蔽"]
    fig, ax = _axes((13, 6))
    out = diagrams.draw_data_flow(ax)
    assert [out["labels"][k].get_text().split("  ")[0] for k in ("query", "key", "value")] \
        == ["查询", "键", "值"]
    fig, ax = _axes((12, 4.2))
    history.draw_timeline(ax)
    assert ("Mnih 等人 [21]\n《视觉注意力的循环模型》\n\n只瞥视几次，每次都选择\n"
            "下一次看哪里（硬注意力）") in [t.get_text() for t in ax.texts]


def test_a_callers_own_text_is_not_translated(zh):
    fig, ax = _axes((5, 4.5))
    diagrams.draw_mask_grid(ax, np.eye(3, dtype=bool), title="mask")
    assert ax.get_title() == "mask"
    fig, ax = _axes((4, 3))
    plots.weights_heatmap(ax, np.eye(2), title="attention weights")
    assert ax.get_title() == "attention weights"


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_callers_chinese_labels_get_the_font_in_either_language(language, caplog):
    """plots.heatmap draws the caller's texts: Chinese ones render in both languages."""
    set_language(language)
    try:
        fig, ax = _axes((5, 4))
        plots.heatmap(ax, np.eye(2), row_labels=["猫", "狗"], col_labels=["x", "关键"],
                      title="相似度", xlabel="键 j", ylabel=r"查询 $i$")
        texts = draw(fig, caplog)
    finally:
        set_language(None)
    chinese = [t for t in texts if has_cjk(t.get_text())]
    assert len(chinese) == 6
    assert all(not missing_glyphs(t) for t in chinese)
    assert [t.get_fontfamily() for t in texts if t.get_text() == "x"] == [["sans-serif"]]


# -- English: as before ----------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_english_figures_are_unchanged(case, en, caplog):
    texts = draw(CASES[case](), caplog)
    assert shown(texts) == ENGLISH[case]
    default = list(rcParams["font.family"])
    changed = [(t.get_text(), t.get_fontfamily()) for t in texts
               if t.get_fontfamily() != default]
    assert not changed, changed


def test_english_summary_is_unchanged(en):
    explorer = history.local_window_explorer(H_T[0], H_S, position=2.9, half_width=2,
                                             max_half_width=10)
    assert repr(explorer) == ("LocalWindowExplorer(global and local-p weights at p_t = 2.90; "
                              "slider D from 1 to 10)")


# -- the helpers -----------------------------------------------------------------------------

def test_families_for_puts_the_cjk_font_where_matplotlib_looks():
    font = cjk_font()
    assert families_for("attention weights") is None
    assert families_for("注意力权重", ["sans-serif"]) == ["sans-serif", font]
    assert families_for("上下文 $c_i$", ["sans-serif"]) == [font, "sans-serif"]
    assert families_for("（", "serif") == ["serif", font]               # full-width too
    assert families_for("注意力", ["DejaVu Sans", font]) == ["DejaVu Sans", font]
    assert not has_cjk("✓ × · → ≥ α") and has_cjk("，") and has_cjk("の")


def test_fit_fonts_touches_only_chinese_and_is_idempotent():
    fig, ax = _axes((4, 3))
    plain = ax.text(0, 0, "plain")
    math = ax.text(0, 1, r"第 $i$ 行")
    ax.set_title("标题")
    fit_fonts(ax)
    fit_fonts(ax)
    assert plain.get_fontfamily() == ["sans-serif"]
    assert math.get_fontfamily() == [cjk_font(), "sans-serif"]
    assert ax.title.get_fontfamily() == ["sans-serif", cjk_font()]


def test_default_text_is_a_string_said_in_the_language_in_use(zh):
    default = DefaultText("mask", "掩码")
    assert isinstance(default, str) and default == "mask"
    assert said(default) == "掩码" and type(said("mask")) is str and said("mask") == "mask"
    set_language("en")
    assert said(default) == "mask" and type(said(default)) is str


def test_chinese_lines_of_the_timeline_wrap_between_words():
    lines = history._wrap_zh("只用自注意力、缩放点积和多个头：Transformer 与 v^T\u00a0tanh(x)", 12)
    assert "".join(lines).replace(" ", "") == \
        "只用自注意力、缩放点积和多个头：Transformer与v^T\u00a0tanh(x)"
    assert all(history._columns(line) <= 12 or " " not in line for line in lines)
    assert "Transformer" in lines and "v^T\u00a0tanh(x)" in lines[-1]
    assert not [line for line in lines if line[0] in "，。、；：）"]
    assert history._wrap_zh("第一行\n第二行", 20) == ["第一行", "第二行"]
