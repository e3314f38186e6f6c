"""Diagrams of the idea, drawn in code: the three-stage data flow, one encoder-decoder
step with attention, soft against hard selection, and a mask as a grid.

Each function draws on a matplotlib ``Axes`` the caller passes in (no pyplot state, no
image files) and returns a dict of the artists it drew, so tests can check them. Imports
numpy and matplotlib only; nothing here changes matplotlib settings. The diagrams speak
the language in use (:mod:`attention_lib.i18n`), and text in Chinese gets a font that has
it (:func:`attention_lib.fonts.fit_fonts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.transforms import ScaledTranslation

from ._checks import as_bool_array, as_float_array, check_int
from .fonts import DefaultText, fit_fonts, said
from .i18n import say

#: The Okabe-Ito colours (readable with the common colour-vision deficiencies), one a role.
COLOURS = {"query": "#0072B2", "key": "#E69F00", "value": "#009E73", "scores": "#CC79A7",
           "weights": "#56B4E9", "output": "#D55E00"}
#: The largest side a data-flow grid may have: beyond it the cells get too small to read.
MAX_SIDE = 8
#: Tolerance for "the weights sum to 1".
SUM_TOLERANCE = 1e-6
_TEXT = 10      # labels
_SMALL = 9      # captions and numbers; nothing is drawn below 8 points
_NOTE = "0.25"  # colour of captions


def _tint(colour: str, amount: float = 0.55) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` of white), for cell faces."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _plain(label: str) -> str:
    """A user's label as literal text: a ``$`` would otherwise start matplotlib mathtext."""
    return label.replace("$", r"\$")


def _check_axes(ax: Any, name: str) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes, e.g. from "
                        f"fig, {name} = plt.subplots(); got {type(ax).__name__}")
    return ax


def _check_labels(labels: Any, name: str, n: int | None = None, what: str = "") -> list[str]:
    """A list of strings (not one string), of length ``n`` when it is given."""
    if isinstance(labels, np.ndarray) and labels.ndim == 1:
        labels = labels.tolist()
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise TypeError(f"{name} must be a list of strings; got {type(labels).__name__}")
    bad = [x for x in labels if not isinstance(x, str)]
    if bad:
        raise TypeError(f"{name} must hold strings only; got {bad[0]!r} "
                        f"({type(bad[0]).__name__})")
    if n is None and not labels:
        raise ValueError(f"{name} is empty; it needs at least one string")
    if n is not None and len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} labels but {what} has {n}; "
                         "give one label each")
    return list(labels)


def _check_weights(weights: Any, name: str = "weights") -> np.ndarray:
    """One row of attention weights: 1-D, non-negative, summing to 1."""
    w = as_float_array(weights, name)
    if w.ndim != 1:
        raise ValueError(f"{name} must be 1-D, one weight per place; got shape {w.shape}")
    if (w < 0).any():
        j = int(np.argmax(w < 0))
        raise ValueError(f"{name} must be non-negative; {name}[{j}] = {w[j]:g}")
    total = float(w.sum())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1 (within {SUM_TOLERANCE:g}), like a "
                         f"softmax row; they sum to {total:.6g}")
    return w


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *,
           colour: str = "0.2", lw: float = 1.4, alpha: float = 1.0, style: str = "-|>",
           patch_a: Any = None, patch_b: Any = None, connection: str = "arc3",
           linestyle: str = "-") -> Annotation:
    """An arrow from ``start`` to ``end`` (data coordinates), clipped by the text boxes
    ``patch_a`` and ``patch_b`` when given."""
    props: dict[str, Any] = dict(arrowstyle=style, color=colour, lw=lw, alpha=alpha,
                                 shrinkA=2, shrinkB=2, connectionstyle=connection,
                                 linestyle=linestyle, mutation_scale=14)
    if patch_a is not None:
        props["patchA"] = patch_a
    if patch_b is not None:
        props["patchB"] = patch_b
    return ax.annotate("", xy=end, xytext=start, arrowprops=props, annotation_clip=False)


def _node(ax: Axes, xy: tuple[float, float], text: str, colour: str, *,
          fontsize: float = _TEXT, weight: str = "normal") -> Text:
    """A label in a rounded box (a diagram node), centred on ``xy``."""
    return ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, weight=weight,
                   zorder=3, bbox=dict(boxstyle="round,pad=0.45", facecolor=_tint(colour, 0.7),
                                       edgecolor=colour, linewidth=1.5))


# -- 1 · the data flow ---------------------------------------------------------------------

def _grid(ax: Axes, left: float, top: float, rows: int, cols: int, colour: str,
          name: str, size: float = 1.0) -> list[Rectangle]:
    """``rows`` x ``cols`` square cells of side ``size``, the top-left corner at
    (left, top)."""
    cells = []
    for i in range(rows):
        for j in range(cols):
            cell = Rectangle((left + j * size, top - (i + 1) * size), size, size,
                             facecolor=_tint(colour),
                             edgecolor=colour, linewidth=1.2, zorder=2)
            cell.set_gid(f"{name}[{i},{j}]")
            ax.add_patch(cell)
            cells.append(cell)
    return cells


def draw_data_flow(ax: Axes, *, tq: int = 2, tv: int = 3, d: int = 4,
                   dv: int = 2) -> dict[str, Any]:
    """Draw the three stages of attention as a data flow, each array a grid of its shape.

    Query (tq × d) and key (tv × d) meet in ``q · kᵀ`` to give 1 · scores (tq × tv); a
    softmax over keys gives 2 · softmax weights (tq × tv, each row sums to 1); and
    ``weights @ value`` with the value (tv × dv) gives 3 · output (tq × dv). Each array is
    drawn as a grid with one cell an entry, so the shapes can be read off and compared.

    Arguments: ``ax`` a matplotlib Axes; ``tq`` queries, ``tv`` keys and values, ``d``
    features of query and key, ``dv`` features of the value: integers from 1 to 8.
    Returns a dict: ``cells`` (array name -> its Rectangles, row by row), ``labels``
    (array name -> its title Text), ``operations`` (the three operation Texts) and
    ``arrows``. Draw it on a figure of about (13, 6) inches.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    _check_axes(ax, "ax")
    tq, tv, d, dv = (check_int(v, name, minimum=1, maximum=MAX_SIDE)
                     for v, name in ((tq, "tq"), (tv, "tv"), (d, "d"), (dv, "dv")))
    row_gap, title_lift = 1.7, 0.3
    shapes = {"query": (tq, d), "key": (tv, d), "value": (tv, dv), "scores": (tq, tv),
              "weights": (tq, tv), "output": (tq, dv)}
    # Cells shrink for big arrays, so the gaps, labels and boxes keep their room.
    c = min(1.0, 4.0 / max(tq, tv, d, dv))
    q_h, v_h, d_w, dv_w = tq * c, tv * c, d * c, dv * c   # heights and widths drawn
    # The inputs stacked on the left, the value lowest; the stages run left to right.
    value_top = v_h
    key_top = value_top + row_gap + v_h
    query_top = key_top + row_gap + q_h
    flow = ((query_top - q_h / 2) + (key_top - v_h / 2)) / 2   # the stages' centre line
    left_w = max(d_w, dv_w)
    gaps = (5.0, 6.0, 5.5)   # room for the operation boxes, widest for "softmax over keys"
    scores_x = left_w + gaps[0]
    weights_x = scores_x + v_h + gaps[1]
    output_x = weights_x + v_h + gaps[2]
    corners = {"query": (0.0, query_top), "key": (0.0, key_top), "value": (0.0, value_top),
               "scores": (scores_x, flow + q_h / 2), "weights": (weights_x, flow + q_h / 2),
               "output": (output_x, flow + q_h / 2)}
    titles = {"query": say("query", "查询"), "key": say("key", "键"),
              "value": say("value", "值"), "scores": say("1 · scores", "1 · 评分"),
              "weights": say("2 · softmax weights", "2 · softmax 权重"),
              "output": say("3 · output", "3 · 输出")}
    cells: dict[str, list[Rectangle]] = {}
    labels: dict[str, Text] = {}
    for name, (rows, cols) in shapes.items():
        x, top = corners[name]
        cells[name] = _grid(ax, x, top, rows, cols, COLOURS[name], name, c)
        labels[name] = ax.text(x + cols * c / 2, top + title_lift,
                               f"{titles[name]}  ({rows} × {cols})", ha="center",
                               va="bottom", fontsize=_TEXT,
                               weight="bold" if name in ("scores", "weights", "output")
                               else "normal", color="black")
    # Captions under the stages: what one cell (or row) holds.
    captions = {"scores": say(r"cell $(i, j) = q_i \cdot k_j$",
                              r"格 $(i, j) = q_i \cdot k_j$"),
                "weights": say("each row sums to 1", "每一行之和为 1"),
                "output": say(r"row $i = \Sigma_j\, w_{ij}\, v_j$",
                              r"第 $i$ 行 $= \Sigma_j\, w_{ij}\, v_j$")}
    for name, caption in captions.items():
        x, top = corners[name]
        rows, cols = shapes[name]
        ax.text(x + cols * c / 2, top - rows * c - 0.3, caption, ha="center", va="top",
                fontsize=_SMALL, color=_NOTE)
    # The operations, each a box in the gap before the stage it makes.
    op_x = (left_w + gaps[0] / 2, scores_x + v_h + gaps[1] / 2,
            weights_x + v_h + gaps[2] / 2)
    operations = ("q · kᵀ", say("softmax over keys", "对键做 softmax"),
                  say("weights @ value", "权重 @ 值"))
    ops = [_node(ax, (op_x_i, flow), text, "0.45", fontsize=11)
           for op_x_i, text in zip(op_x, operations, strict=True)]
    arrows = [
        _arrow(ax, (d_w, query_top - q_h / 2), (op_x[0], flow),
               patch_b=ops[0].get_bbox_patch(), colour=COLOURS["query"]),
        _arrow(ax, (d_w, key_top - v_h / 2), (op_x[0], flow),
               patch_b=ops[0].get_bbox_patch(), colour=COLOURS["key"]),
        _arrow(ax, (op_x[0], flow), (scores_x, flow), patch_a=ops[0].get_bbox_patch()),
        _arrow(ax, (scores_x + v_h, flow), (op_x[1], flow), patch_b=ops[1].get_bbox_patch()),
        _arrow(ax, (op_x[1], flow), (weights_x, flow), patch_a=ops[1].get_bbox_patch()),
        _arrow(ax, (weights_x + v_h, flow), (op_x[2], flow),
               patch_b=ops[2].get_bbox_patch()),
        _arrow(ax, (op_x[2], flow), (output_x, flow), patch_a=ops[2].get_bbox_patch()),
        # The value joins at stage 3, from below.
        _arrow(ax, (dv_w, value_top - v_h / 2), (op_x[2], flow),
               patch_b=ops[2].get_bbox_patch(), colour=COLOURS["value"],
               connection="angle,angleA=0,angleB=90,rad=0"),
    ]
    # The three stages in words, with symbolic shapes. They need about 2 units of height:
    # between the captions and the value's arrow when there is room, else under it all.
    summary = say(
        "1 · scores: each query against each key,  (Tq × d) · (d × Tv) → (Tq × Tv)\n"
        "2 · softmax weights: each row of scores → weights ≥ 0 that sum to 1\n"
        "3 · output: a weighted sum of the values,  (Tq × Tv) @ (Tv × dv) → (Tq × dv)",
        "1 · 评分：每个查询与每个键比较，(Tq × d) · (d × Tv) → (Tq × Tv)\n"
        "2 · softmax 权重：每一行评分 → 非负且和为 1 的权重\n"
        "3 · 输出：值的加权和，(Tq × Tv) @ (Tv × dv) → (Tq × dv)")
    summary_top, bottom = flow - q_h / 2 - 1.2, -0.6
    if summary_top - 2.0 < value_top / 2 + 0.3:
        summary_top, bottom = -0.6, -3.0
    ax.text(left_w + 1.5, summary_top, summary, ha="left", va="top", fontsize=_SMALL,
            color=_NOTE, linespacing=1.6)
    ax.set_xlim(-0.6, output_x + dv_w + 0.6)
    ax.set_ylim(bottom, query_top + 1.4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(say("Attention in three stages: query → scores → softmax → weighted sum",
                     "注意力的三个阶段：查询 → 评分 → softmax → 加权求和"), fontsize=12)
    fit_fonts(ax)
    return {"cells": cells, "labels": labels, "operations": ops, "arrows": arrows}


# -- 2 · one encoder-decoder step ----------------------------------------------------------

def draw_encoder_decoder_step(ax: Axes, source: Sequence[str], weights: Any, *,
                              step: int = 1,
                              target: Sequence[str] | None = None) -> dict[str, Any]:
    """Draw one decoder step of an encoder-decoder with attention (Bahdanau et al., 2015).

    The encoder states h_1..h_n sit in a row above the source tokens; each sends an arrow
    to the context c_i = Σ_j α_ij h_j whose width and opacity follow its weight α_ij
    (labelled to 2 decimals). The previous decoder state s_{i-1} is the query that scores
    every h_j; c_i and s_{i-1} feed the next state s_i, which gives the output word.

    Arguments: ``ax`` a matplotlib Axes; ``source`` the n source tokens (list of str);
    ``weights`` shape (n,), the step's attention weights, non-negative and summing to 1;
    ``step`` the decoder step i, an integer from 0 (an index into ``target`` when it is
    given); ``target`` the output tokens (list of str) or None: with it the output word is
    ``target[step]`` (and the previous word ``target[step - 1]`` feeds s_i too).
    Returns a dict: ``states`` (the h_j Texts), ``tokens``, ``context``, ``query``,
    ``next_state``, ``output``, ``weight_arrows`` and ``weight_labels`` (one a token).
    Draw it on a figure of about (11, 5.5) inches for four tokens.
    Introduced in notebooks/05_why_attention.ipynb.
    """
    _check_axes(ax, "ax")
    tokens = _check_labels(source, "source")
    w = _check_weights(weights)
    if w.shape[0] != len(tokens):
        raise ValueError(f"weights has {w.shape[0]} entries but source has {len(tokens)} "
                         "tokens; give one weight per source token")
    words = None if target is None else _check_labels(target, "target")
    step = check_int(step, "step", minimum=0,
                     maximum=None if words is None else len(words) - 1)
    n = len(tokens)
    gap = 2.0
    xs = [gap * j for j in range(n)]
    y_tok, y_h, y_top = 0.0, 1.5, 5.2
    mid = (xs[0] + xs[-1]) / 2
    x_dec = xs[-1] + 4.2
    enc = COLOURS["key"]
    token_texts = [ax.text(x, y_tok, _plain(t), ha="center", va="center", fontsize=_TEXT,
                           style="italic") for x, t in zip(xs, tokens, strict=True)]
    states = [_node(ax, (x, y_h), f"$h_{{{j + 1}}}$", enc, fontsize=11)
              for j, x in enumerate(xs)]
    for x, h in zip(xs, states, strict=True):
        _arrow(ax, (x, y_tok + 0.3), (x, y_h), patch_b=h.get_bbox_patch(), colour="0.5",
               lw=1.0)
    for a, b in zip(states, states[1:], strict=False):
        _arrow(ax, a.get_position(), b.get_position(), patch_a=a.get_bbox_patch(),
               patch_b=b.get_bbox_patch(), colour="0.5", lw=1.0, style="<|-|>")
    ax.text(mid, y_tok - 0.85, say("encoder states (keys and values)", "编码器状态（键和值）"),
            ha="center", va="center", fontsize=_TEXT, color="#8A5A00", weight="bold")
    ax.text(mid, y_tok - 1.55,
            say(r"arrow width and colour: the weight $\alpha_{ij}$ of each $h_j$",
                r"箭头的粗细和颜色：每个 $h_j$ 的权重 $\alpha_{ij}$"),
            ha="center", va="center", fontsize=_SMALL, color=_NOTE)
    context = _node(ax, (mid, y_top), say(r"context $c_i = \Sigma_j\, \alpha_{ij}\, h_j$",
                                          r"上下文 $c_i = \Sigma_j\, \alpha_{ij}\, h_j$"),
                    COLOURS["output"], fontsize=11)
    arrows, labels = [], []
    for x, h, wj in zip(xs, states, w, strict=True):
        arrows.append(_arrow(ax, (x, y_h), (mid, y_top), patch_a=h.get_bbox_patch(),
                             patch_b=context.get_bbox_patch(), colour=COLOURS["output"],
                             lw=0.8 + 7.0 * wj, alpha=0.25 + 0.75 * wj / w.max()))
        t = 0.36   # the label sits a third of the way up its arrow, where they fan apart
        labels.append(ax.text(x + t * (mid - x), y_h + t * (y_top - y_h), f"{wj:.2f}",
                              ha="center", va="center", fontsize=_SMALL, zorder=4,
                              bbox=dict(boxstyle="round,pad=0.15", facecolor="white",
                                        edgecolor="none", alpha=0.9)))
    dec = COLOURS["query"]
    query = _node(ax, (x_dec, y_h), say(r"decoder state $s_{i-1}$ (query)",
                                        r"解码器状态 $s_{i-1}$（查询）"), dec)
    ax.text(x_dec, y_h - 0.95,
            say(r"scores every $h_j$; softmax over $j$ gives $\alpha_{ij}$",
                r"为每个 $h_j$ 评分；对 $j$ 做 softmax 得到 $\alpha_{ij}$"),
            ha="center", va="center", fontsize=_SMALL, color=_NOTE)
    next_state = _node(ax, (x_dec, y_top), say(r"next state $s_i$", r"下一个状态 $s_i$"), dec)
    y_out = y_top + 1.9
    word = "" if words is None else f" = '{_plain(words[step])}'"
    output = _node(ax, (x_dec, y_out), say(rf"output word $y_i${word}", rf"输出词 $y_i${word}"),
                   COLOURS["value"])
    _arrow(ax, query.get_position(), next_state.get_position(),
           patch_a=query.get_bbox_patch(), patch_b=next_state.get_bbox_patch(), colour=dec)
    _arrow(ax, context.get_position(), next_state.get_position(),
           patch_a=context.get_bbox_patch(), patch_b=next_state.get_bbox_patch(),
           colour=COLOURS["output"], lw=2.0)
    _arrow(ax, next_state.get_position(), output.get_position(),
           patch_a=next_state.get_bbox_patch(), patch_b=output.get_bbox_patch(),
           colour=COLOURS["value"])
    # The query's role: a dashed arrow from s_{i-1} to the fan of weights it sets (to the
    # last arrow, above its weight label).
    fan = (xs[-1] + 0.6 * (mid - xs[-1]), y_h + 0.6 * (y_top - y_h))
    _arrow(ax, query.get_position(), fan, patch_a=query.get_bbox_patch(), colour=dec, lw=1.2,
           linestyle="--")
    previous = None
    right = x_dec + 2.3
    if words is not None and step >= 1:
        before = f"$y_{{i-1}}$ = '{_plain(words[step - 1])}'"
        previous = ax.text(x_dec + 2.9, (y_h + y_top) / 2 + 0.3,
                           say(f"previous word\n{before}", f"上一个词\n{before}"),
                           ha="center", va="center", fontsize=_SMALL, color=_NOTE)
        _arrow(ax, (x_dec + 2.9, (y_h + y_top) / 2 + 0.75), next_state.get_position(),
               patch_b=next_state.get_bbox_patch(), colour="0.5", lw=1.0)
        right = x_dec + 4.1
    title = say(f"One decoder step with attention (step i = {step})",
                f"带注意力的一个解码步（i = {step}）")
    if words is not None:
        title += say(f": producing '{_plain(words[step])}'", f"：写出“{_plain(words[step])}”")
    ax.set_title(title, fontsize=12)
    ax.set_xlim(-1.2, right)
    ax.set_ylim(y_tok - 2.0, y_out + 0.8)
    ax.set_axis_off()
    fit_fonts(ax)
    return {"states": states, "tokens": token_texts, "context": context, "query": query,
            "next_state": next_state, "output": output, "previous_word": previous,
            "weight_arrows": arrows, "weight_labels": labels}


# -- 3 · soft against hard -----------------------------------------------------------------

def draw_soft_vs_hard(ax_soft: Axes, ax_hard: Axes, weights: Any, labels: Sequence[str], *,
                      choice: int | None = None) -> dict[str, Any]:
    """Draw soft and hard attention over the same places, side by side.

    On ``ax_soft`` the weights are bars (each labelled to 2 decimals): soft attention
    blends all the places, each in proportion to its weight. On ``ax_hard`` one bar of
    height 1 stands at the chosen place: hard attention picks one place and ignores the
    rest. The choice is the argmax of the weights, or ``choice`` (say an index sampled
    from the weights) when it is given.

    Arguments: ``ax_soft`` and ``ax_hard`` two different matplotlib Axes; ``weights``
    shape (n,), non-negative and summing to 1; ``labels`` n strings, one a place;
    ``choice`` None or an index from 0 to n - 1 whose weight is above 0.
    Returns a dict: ``soft_bars`` and ``hard_bars`` (the BarContainers) and ``choice``.
    Draw it on ``plt.subplots(1, 2, figsize=(11, 4), sharey=True)``.
    Introduced in notebooks/02_what_is_attention.ipynb.
    """
    _check_axes(ax_soft, "ax_soft")
    _check_axes(ax_hard, "ax_hard")
    if ax_soft is ax_hard:
        raise ValueError("ax_soft and ax_hard must be two different Axes, e.g. "
                         "fig, (ax_soft, ax_hard) = plt.subplots(1, 2)")
    w = _check_weights(weights)
    names = _check_labels(labels, "labels", w.shape[0], "weights")
    n = w.shape[0]
    if choice is None:
        k, how = int(np.argmax(w)), say("the argmax", "取 argmax")
    else:
        k = check_int(choice, "choice", minimum=0, maximum=n - 1)
        how = say(f"sampled, choice = {k}", f"采样所得，choice = {k}")
        if w[k] == 0:
            raise ValueError(f"choice = {k} has weight 0; a place sampled from the weights "
                             "always has a weight above 0")
    hard = np.zeros(n)
    hard[k] = 1.0
    x = np.arange(n)
    soft_bars = ax_soft.bar(x, w, color=_tint(COLOURS["weights"], 0.2),
                            edgecolor=COLOURS["query"], linewidth=1.2)
    hard_bars = ax_hard.bar(x, hard, color=_tint(COLOURS["output"], 0.2),
                            edgecolor=COLOURS["output"], linewidth=1.2)
    chosen = _plain(names[k])
    for ax, heights, title, caption in (
            (ax_soft, w, say("soft: a weighted average of all", "软注意力：对所有位置取加权平均"),
             say("result $= \\Sigma_j\\, \\alpha_j\\, v_j$\n(every place counts, by its weight)",
                 "结果 $= \\Sigma_j\\, \\alpha_j\\, v_j$\n（每个位置都计入，按其权重）")),
            (ax_hard, hard, say("hard: pick one place", "硬注意力：只选一个位置"),
             say(f"result = the value at '{chosen}'\n({how}: no other place counts)",
                 f"结果 = '{chosen}' 处的值\n（{how}：其他位置都不计入）"))):
        for xi, h in enumerate(heights):
            ax.text(xi, float(h) + 0.03, f"{h:.2f}", ha="center", va="bottom", fontsize=_SMALL)
        ax.set_xticks(x, labels=[_plain(s) for s in names], fontsize=_TEXT)
        ax.set_ylim(0, 1.15)
        ax.set_ylabel(say("weight", "权重"), fontsize=_TEXT)
        ax.set_xlabel(caption, fontsize=_TEXT)
        ax.set_title(title, fontsize=12)
        ax.spines[["top", "right"]].set_visible(False)
        fit_fonts(ax)
    return {"soft_bars": soft_bars, "hard_bars": hard_bars, "choice": k}


# -- 4 · a mask as a grid ------------------------------------------------------------------

def draw_mask_grid(ax: Axes, allowed: Any, *, query_labels: Sequence[str] | None = None,
                   key_labels: Sequence[str] | None = None,
                   title: str = DefaultText("mask", "掩码")) -> dict[str, Any]:
    """Draw a mask as a grid: a row per query, a column per key, a cell per pair.

    A cell that may attend (True) is filled and marked ✓; a masked cell (False) is grey,
    hatched and marked ×. The caption under the grid says True = attend.

    Arguments: ``ax`` a matplotlib Axes; ``allowed`` shape (Tq, Tv), booleans or 0/1
    integers (True = attend); ``query_labels`` Tq strings and ``key_labels`` Tv strings,
    or None for the positions 0, 1, ...; ``title`` a string (by default "mask", in the
    language in use).
    Returns a dict: ``cells`` (the Rectangles, row by row) and ``marks`` (their Texts).
    Draw it on a figure of about (5, 4.5) inches for a 4 × 4 mask.
    Introduced in notebooks/07_masks_and_self_attention.ipynb.
    """
    _check_axes(ax, "ax")
    mask = as_bool_array(allowed, "allowed")
    if mask.ndim != 2 or mask.size == 0:
        raise ValueError(f"allowed must be 2-D (Tq, Tv) with at least one cell; got shape "
                         f"{mask.shape}")
    tq, tv = mask.shape
    rows = ([str(i) for i in range(tq)] if query_labels is None
            else _check_labels(query_labels, "query_labels", tq, "allowed's rows (Tq)"))
    cols = ([str(j) for j in range(tv)] if key_labels is None
            else _check_labels(key_labels, "key_labels", tv, "allowed's columns (Tv)"))
    if not isinstance(title, str):
        raise TypeError(f"title must be a string; got {type(title).__name__}")
    attend, masked = _tint(COLOURS["weights"], 0.35), "0.88"
    # The marks fill about half a cell, whatever the figure size (but never below 8 pt).
    box = ax.get_window_extent()
    cell_pt = min(box.width / tv, box.height / tq) * 72.0 / ax.figure.dpi
    mark_size = float(np.clip(0.4 * cell_pt, 8.0, 18.0))
    cells, marks = [], []
    for i in range(tq):
        for j in range(tv):
            ok = bool(mask[i, j])
            cell = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=attend if ok else masked,
                             edgecolor="0.6", hatch=None if ok else "///", linewidth=1.0)
            cells.append(ax.add_patch(cell))
            marks.append(ax.text(j, i, "✓" if ok else "×", ha="center", va="center",
                                 fontsize=mark_size, weight="bold",
                                 color=COLOURS["query"] if ok else "0.35"))
    ax.set_xlim(-0.5, tv - 0.5)
    ax.set_ylim(tq - 0.5, -0.5)   # query 0 at the top, as in the weight heatmaps
    ax.set_aspect("equal")
    ax.set_xticks(range(tv), labels=[_plain(c) for c in cols])
    ax.set_yticks(range(tq), labels=[_plain(r) for r in rows])
    ax.tick_params(length=0)
    ax.set_xlabel(say("key position", "键位置"), fontsize=_TEXT)
    ax.set_ylabel(say("query position", "查询位置"), fontsize=_TEXT)
    ax.set_title(_plain(said(title)), fontsize=12)
    # The caption sits a fixed distance under the key labels, whatever the grid's height.
    legend = ax.legend(handles=[Patch(facecolor=attend, edgecolor="0.6",
                                      label=say("✓ True = attend", "✓ True = 可以关注")),
                                Patch(facecolor=masked, edgecolor="0.6", hatch="///",
                                      label=say("× False = masked", "× False = 被掩蔽"))],
                       loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2,
                       bbox_transform=ax.transAxes + ScaledTranslation(
                           0.0, -40.0 / 72.0, ax.figure.dpi_scale_trans),
                       fontsize=_SMALL, frameon=False, handlelength=1.6)
    fit_fonts(ax)
    return {"cells": cells, "marks": marks, "legend": legend}
