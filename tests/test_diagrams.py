"""attention_lib.diagrams: the four diagrams of the idea draw what they say (texts, one
cell an entry, widths that follow the weights), save without a single warning (missing
glyphs included), keep every text readable and apart, and refuse bad arguments by name."""

from __future__ import annotations

import ast
import inspect
import io
import itertools
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from attention_lib import diagrams

SOURCE = ["the", "black", "cat", "sleeps"]
TARGET = ["le", "chat", "noir", "dort"]
WEIGHTS = [0.1, 0.15, 0.7, 0.05]
PLACES = ["the", "cat", "sat", "down"]
CAUSAL = np.tril(np.ones((4, 4), dtype=bool))


def _axes(figsize=(8, 5), ncols=1):
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(1, ncols) if ncols > 1 else fig.subplots()


def _strings(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _drawn(draw, *args, figsize=(8, 5), ncols=1, **kwargs):
    """Draw with every warning an error (missing glyphs too) and save a PNG."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = _axes(figsize, ncols)
        axes = tuple(ax) if ncols > 1 else (ax,)
        out = draw(*axes, *args, **kwargs)
        fig.savefig(io.BytesIO(), format="png")
    return fig, ax, out


def _labels(fig) -> list[Text]:
    """The visible, non-empty texts a reader sees: axes texts, titles, axis labels, the
    tick labels that were set on purpose, legend entries."""
    found = []
    for ax in fig.axes:
        found += list(ax.texts) + [ax.title, ax.xaxis.label, ax.yaxis.label]
        if ax.axison:
            found += ax.get_xticklabels()
        legend = ax.get_legend()
        if legend is not None:
            found += legend.get_texts()
    return [t for t in found if t.get_visible() and t.get_text()]


def _extent(t: Text):
    patch = t.get_bbox_patch()
    return (patch if patch is not None else t).get_window_extent()


def assert_readable_and_apart(fig):
    """Every text is at least 8 points, lies inside the figure, and overlaps no other."""
    fig.draw_without_rendering()
    small = [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_text() and t.get_fontsize() < 8]
    assert not small, f"texts below 8 points: {small}"
    texts = _labels(fig)
    frame = fig.bbox
    for t in texts:
        box = _extent(t)
        assert (box.x0 >= frame.x0 - 1 and box.y0 >= frame.y0 - 1
                and box.x1 <= frame.x1 + 1 and box.y1 <= frame.y1 + 1), \
            f"{t.get_text()!r} leaves the figure"
    for a, b in itertools.combinations(texts, 2):
        if a is not b:
            assert not _extent(a).shrunk(0.98, 0.98).overlaps(_extent(b).shrunk(0.98, 0.98)), \
                f"{a.get_text()!r} overlaps {b.get_text()!r}"


# -- the module ---------------------------------------------------------------------------

def test_imports_only_numpy_matplotlib_and_the_checks():
    tree = ast.parse(Path(diagrams.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or "").split(".")[0])
    assert imported <= {"__future__", "collections", "typing", "numpy", "matplotlib",
                        "._checks", ".i18n", ".fonts"}, imported


@pytest.mark.parametrize("name, notebook", [
    ("draw_data_flow", "notebooks/03_three_stage_computation.ipynb"),
    ("draw_encoder_decoder_step", "notebooks/05_why_attention.ipynb"),
    ("draw_soft_vs_hard", "notebooks/02_what_is_attention.ipynb"),
    ("draw_mask_grid", "notebooks/07_masks_and_self_attention.ipynb"),
])
def test_docstrings_end_with_the_notebook(name, notebook):
    doc = inspect.getdoc(getattr(diagrams, name))
    assert doc.splitlines()[-1] == f"Introduced in {notebook}."
    assert "Arguments:" in doc and "Returns" in doc


# -- 1 · the data flow --------------------------------------------------------------------

def test_data_flow_texts_and_shapes():
    fig, ax, out = _drawn(diagrams.draw_data_flow, figsize=(13, 6))
    texts = _strings(ax)
    for label in ["query  (2 × 4)", "key  (3 × 4)", "value  (3 × 2)",
                  "1 · scores  (2 × 3)", "2 · softmax weights  (2 × 3)", "3 · output  (2 × 2)",
                  "q · kᵀ", "softmax over keys", "weights @ value", "each row sums to 1"]:
        assert label in texts, label
    assert [t.get_text() for t in out["operations"]] == ["q · kᵀ", "softmax over keys",
                                                         "weights @ value"]
    assert len(ax.patches) == 8 + 12 + 6 + 6 + 6 + 4
    assert ax.get_title() and not ax.axison
    assert_readable_and_apart(fig)


@pytest.mark.parametrize("tq, tv, d, dv", [(2, 3, 4, 2), (1, 1, 1, 1), (3, 5, 2, 6),
                                           (8, 8, 8, 8)])
def test_data_flow_grids_have_the_shapes(tq, tv, d, dv):
    fig, ax, out = _drawn(diagrams.draw_data_flow, figsize=(13, 6), tq=tq, tv=tv, d=d, dv=dv)
    shapes = {"query": (tq, d), "key": (tv, d), "value": (tv, dv), "scores": (tq, tv),
              "weights": (tq, tv), "output": (tq, dv)}
    assert len(ax.patches) == sum(r * c for r, c in shapes.values())
    for name, (rows, cols) in shapes.items():
        cells = out["cells"][name]
        assert len(cells) == rows * cols
        assert len({c.get_x() for c in cells}) == cols, name
        assert len({c.get_y() for c in cells}) == rows, name
        assert out["labels"][name].get_text().endswith(f"({rows} × {cols})")
    assert_readable_and_apart(fig)
    cells = [c.get_window_extent() for grid in out["cells"].values() for c in grid]
    for t in _labels(fig):
        box = _extent(t).shrunk(0.98, 0.98)
        assert not any(box.overlaps(c) for c in cells), f"{t.get_text()!r} covers a cell"


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(tq=0), ValueError, "tq must lie between 1 and 8"),
    (dict(tv=9), ValueError, "tv must lie between 1 and 8"),
    (dict(d=2.0), TypeError, "d must be an integer"),
    (dict(dv=True), TypeError, "dv must be an integer"),
])
def test_data_flow_bad_arguments(kwargs, error, match):
    _, ax = _axes()
    with pytest.raises(error, match=match):
        diagrams.draw_data_flow(ax, **kwargs)


@pytest.mark.parametrize("draw, args", [
    (diagrams.draw_data_flow, ()),
    (diagrams.draw_encoder_decoder_step, (SOURCE, WEIGHTS)),
    (diagrams.draw_mask_grid, (CAUSAL,)),
])
def test_a_non_axes_is_refused(draw, args):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw(Figure(), *args)


# -- 2 · one encoder-decoder step ---------------------------------------------------------

def test_encoder_decoder_texts_and_widths():
    fig, ax, out = _drawn(diagrams.draw_encoder_decoder_step, SOURCE, WEIGHTS,
                          figsize=(11, 5.5), step=1, target=TARGET)
    texts = _strings(ax)
    for label in SOURCE + ["$h_{1}$", "$h_{2}$", "$h_{3}$", "$h_{4}$",
                           "0.10", "0.15", "0.70", "0.05",
                           "encoder states (keys and values)",
                           r"decoder state $s_{i-1}$ (query)",
                           r"context $c_i = \Sigma_j\, \alpha_{ij}\, h_j$",
                           "output word $y_i$ = 'chat'"]:
        assert label in texts, label
    assert "'le'" in out["previous_word"].get_text()
    assert [t.get_text() for t in out["weight_labels"]] == ["0.10", "0.15", "0.70", "0.05"]
    widths = [a.arrow_patch.get_linewidth() for a in out["weight_arrows"]]
    alphas = [a.arrow_patch.get_alpha() for a in out["weight_arrows"]]
    order = np.argsort(WEIGHTS)
    assert np.all(np.diff(np.asarray(widths)[order]) > 0)
    assert np.all(np.diff(np.asarray(alphas)[order]) > 0)
    assert np.allclose(np.diff(widths) / np.diff(WEIGHTS), np.diff(widths)[0] / np.diff(WEIGHTS)[0])
    assert "chat" in ax.get_title() and not ax.axison
    assert_readable_and_apart(fig)


def test_encoder_decoder_without_target_and_at_step_zero():
    fig, ax, out = _drawn(diagrams.draw_encoder_decoder_step, SOURCE, WEIGHTS,
                          figsize=(11, 5.5))
    assert out["output"].get_text() == "output word $y_i$"
    assert out["previous_word"] is None
    assert_readable_and_apart(fig)
    _, ax, out = _drawn(diagrams.draw_encoder_decoder_step, SOURCE, WEIGHTS, step=0,
                        target=TARGET)
    assert out["output"].get_text() == "output word $y_i$ = 'le'" and out["previous_word"] is None


def test_encoder_decoder_long_source_and_dollars():
    n = 8
    _, ax, out = _drawn(diagrams.draw_encoder_decoder_step, [f"w{j}" for j in range(7)] + ["$5"],
                        np.full(n, 1 / n), figsize=(15, 5.5))
    assert len(out["states"]) == n and r"\$5" in _strings(ax)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(weights=[0.1, 0.2, 0.6, 0.05]), ValueError, "weights must sum to 1"),
    (dict(weights=[0.5, 0.5, 0.2, -0.2]), ValueError, r"non-negative; weights\[3\]"),
    (dict(weights=[0.5, 0.5]), ValueError, "weights has 2 entries but source has 4"),
    (dict(weights=[[0.5, 0.5]]), ValueError, "weights must be 1-D"),
    (dict(weights=[0.5, np.nan, 0.5, 0]), ValueError, "weights contains NaN"),
    (dict(weights=["a", "b", "c", "d"]), TypeError, "weights must be a numeric array"),
    (dict(source="the cat"), TypeError, "source must be a list of strings"),
    (dict(source=["the", 2, "cat", "x"]), TypeError, "source must hold strings only"),
    (dict(source=[]), ValueError, "source is empty"),
    (dict(target=TARGET, step=4), ValueError, "step must lie between 0 and 3"),
    (dict(step=-1), ValueError, "step must be at least 0"),
    (dict(step=1.0), TypeError, "step must be an integer"),
    (dict(target=["le", None]), TypeError, "target must hold strings only"),
])
def test_encoder_decoder_bad_arguments(kwargs, error, match):
    _, ax = _axes()
    args = dict(source=SOURCE, weights=WEIGHTS) | kwargs
    with pytest.raises(error, match=match):
        diagrams.draw_encoder_decoder_step(ax, args.pop("source"), args.pop("weights"),
                                           **args)


def test_weights_sum_tolerance_is_1e_6():
    _, ax = _axes()
    diagrams.draw_encoder_decoder_step(ax, ["a", "b"], [0.5, 0.5 + 5e-7])
    with pytest.raises(ValueError, match="must sum to 1"):
        diagrams.draw_encoder_decoder_step(ax, ["a", "b"], [0.5, 0.5 + 2e-6])


# -- 3 · soft against hard ----------------------------------------------------------------

def test_soft_vs_hard_bars_and_texts():
    fig, (ax_soft, ax_hard), out = _drawn(diagrams.draw_soft_vs_hard, [0.1, 0.2, 0.6, 0.1],
                                          PLACES, figsize=(11, 4), ncols=2)
    assert [b.get_height() for b in out["soft_bars"]] == [0.1, 0.2, 0.6, 0.1]
    assert [b.get_height() for b in out["hard_bars"]] == [0, 0, 1, 0] and out["choice"] == 2
    assert _strings(ax_soft) == ["0.10", "0.20", "0.60", "0.10"]
    assert _strings(ax_hard) == ["0.00", "0.00", "1.00", "0.00"]
    assert ax_soft.get_title() == "soft: a weighted average of all"
    assert ax_hard.get_title() == "hard: pick one place"
    assert "'sat'\n(the argmax" in ax_hard.get_xlabel()
    for ax in (ax_soft, ax_hard):
        assert [t.get_text() for t in ax.get_xticklabels()] == PLACES
    assert_readable_and_apart(fig)


def test_soft_vs_hard_shows_a_sampled_choice():
    fig, (ax_soft, ax_hard), out = _drawn(diagrams.draw_soft_vs_hard, [0.1, 0.2, 0.6, 0.1],
                                          PLACES, figsize=(11, 4), ncols=2, choice=np.int64(1))
    assert [b.get_height() for b in out["hard_bars"]] == [0, 1, 0, 0] and out["choice"] == 1
    assert "'cat'\n(sampled, choice = 1" in ax_hard.get_xlabel()
    assert_readable_and_apart(fig)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(labels=["a", "b"]), ValueError, "labels has 2 labels but weights has 4"),
    (dict(labels="abcd"), TypeError, "labels must be a list of strings"),
    (dict(weights=[0.2, 0.2, 0.2, 0.2]), ValueError, "weights must sum to 1"),
    (dict(weights=[1.5, -0.5, 0, 0]), ValueError, "weights must be non-negative"),
    (dict(choice=4), ValueError, "choice must lie between 0 and 3"),
    (dict(choice="1"), TypeError, "choice must be an integer"),
    (dict(weights=[0.5, 0.5, 0, 0], choice=3), ValueError, "choice = 3 has weight 0"),
    (dict(same=True), ValueError, "two different Axes"),
    (dict(ax_hard="axes"), TypeError, "ax_hard must be a matplotlib Axes"),
])
def test_soft_vs_hard_bad_arguments(kwargs, error, match):
    _, (ax_soft, ax_hard) = _axes(ncols=2)
    args = dict(ax_soft=ax_soft, ax_hard=ax_soft if kwargs.pop("same", False) else ax_hard,
                weights=[0.1, 0.2, 0.6, 0.1], labels=PLACES) | kwargs
    with pytest.raises(error, match=match):
        diagrams.draw_soft_vs_hard(args.pop("ax_soft"), args.pop("ax_hard"),
                                   args.pop("weights"), args.pop("labels"), **args)


# -- 4 · a mask as a grid -----------------------------------------------------------------

PADDED = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])   # 0/1 integers


@pytest.mark.parametrize("allowed", [CAUSAL, PADDED, np.ones((1, 1), bool),
                                     np.zeros((2, 6), bool)], ids=["causal", "padded",
                                                                   "one", "none"])
def test_mask_grid_cells_and_marks(allowed):
    fig, ax, out = _drawn(diagrams.draw_mask_grid, allowed, figsize=(5, 4.5))
    mask = np.asarray(allowed, bool)
    texts = _strings(ax)
    assert texts.count("✓") == mask.sum() and texts.count("×") == (~mask).sum()
    assert len(ax.patches) == len(out["cells"]) == mask.size
    assert sum(bool(p.get_hatch()) for p in ax.patches) == (~mask).sum()
    assert [t.get_text() for t in out["marks"]] == ["✓" if m else "×" for m in mask.ravel()]
    assert ax.get_xlabel() == "key position" and ax.get_ylabel() == "query position"
    assert ax.get_title() == "mask"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("True = attend" in t for t in legend)
    assert_readable_and_apart(fig)


def test_mask_grid_labels():
    fig, ax, _ = _drawn(diagrams.draw_mask_grid, CAUSAL, figsize=(5, 4.5),
                        query_labels=SOURCE, key_labels=np.array(SOURCE),
                        title="causal mask (4 × 4)")
    assert [t.get_text() for t in ax.get_xticklabels()] == SOURCE
    assert [t.get_text() for t in ax.get_yticklabels()] == SOURCE
    assert ax.get_title() == "causal mask (4 × 4)"
    assert_readable_and_apart(fig)


def test_mask_marks_shrink_but_stay_readable():
    _, _, small = _drawn(diagrams.draw_mask_grid, np.ones((16, 16), bool), figsize=(5, 4.5))
    _, _, big = _drawn(diagrams.draw_mask_grid, CAUSAL, figsize=(5, 4.5))
    assert 8 <= small["marks"][0].get_fontsize() < big["marks"][0].get_fontsize()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(allowed=np.full((2, 2), 0.5)), TypeError, "allowed must be a boolean array"),
    (dict(allowed=[[0, 2]]), TypeError, "allowed must be a boolean array"),
    (dict(allowed=[True, False]), ValueError, "allowed must be 2-D"),
    (dict(allowed=np.ones((0, 3), bool)), ValueError, "allowed must be 2-D"),
    (dict(query_labels=["a"]), ValueError, r"query_labels has 1 labels but allowed's rows"),
    (dict(key_labels=["a", "b", "c", "d", "e"]), ValueError, "key_labels has 5 labels"),
    (dict(key_labels=[1, 2, 3, 4]), TypeError, "key_labels must hold strings only"),
    (dict(title=None), TypeError, "title must be a string"),
])
def test_mask_grid_bad_arguments(kwargs, error, match):
    _, ax = _axes()
    args = dict(allowed=CAUSAL) | kwargs
    with pytest.raises(error, match=match):
        diagrams.draw_mask_grid(ax, args.pop("allowed"), **args)
