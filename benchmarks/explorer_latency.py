"""Latency of the attention explorer: from setting one slider's value to the panels being
redrawn, on the kernel side.

    .venv/bin/python benchmarks/explorer_latency.py [--moves 60]

What is timed, per move: ``slider.value = x`` returns only after the observer has read
every slider, run stages 1-3 with numpy (and, with the Keras panel, run
tf.keras.layers.Attention on the same inputs), updated the artists, and made the frame
(the heatmap cells and texts in pixels) that becomes the ``frame`` of the explorer's
canvas widget (what the front end receives and draws). Sending it over the websocket and
the browser drawing it are not included: there is no browser here
(benchmarks/browser_latency.py measures the whole way, key press to screen).

The naive way, timed in the same run on the same moves: ``ipywidgets.interactive`` with
a function that re-creates the whole figure (the same three annotated heatmaps, made
with ``attention_lib.plots.heatmap``) and renders it to PNG, as ``interact`` plus the
inline backend does on every move. It is given a fair start: no ``bbox_inches="tight"``
(the inline backend's default, which draws twice) and no pyplot figure manager.

Targets (issue #3): median <= 15 ms without the Keras panel, and at least 3x faster
than the naive way. The script prints PASS or MISS; it does not fail.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time

import ipywidgets as widgets
import numpy as np
from _report import report  # benchmarks/ is on sys.path: run as a script
from matplotlib.figure import Figure

from attention_lib import attention, tensorflow_env
from attention_lib.data import seed_arrays
from attention_lib.explorer import AttentionExplorer
from attention_lib.plots import heatmap, weights_heatmap

TARGET_MS = 15.0
TARGET_RATIO = 3.0


def moves(n: int) -> list[float]:
    """n slider positions in [-5, 5] on the 0.1 grid, each different from the last."""
    rng = np.random.default_rng(0)
    out: list[float] = []
    while len(out) < n:
        x = round(float(rng.uniform(-5, 5)), 1)
        if not out or x != out[-1]:
            out.append(x)
    return out


def time_moves(slider: widgets.FloatSlider, positions: list[float]) -> list[float]:
    """Milliseconds for each ``slider.value = x`` (the observers run synchronously)."""
    times = []
    for x in positions:
        start = time.perf_counter()
        slider.value = x
        times.append((time.perf_counter() - start) * 1e3)
    return times


def naive_interact(query: np.ndarray, value: np.ndarray, key: np.ndarray
                   ) -> tuple[widgets.FloatSlider, list[bytes]]:
    """``interactive`` re-creating the whole figure on every move; returns the slider
    driving query[0, 0] and the list the PNG bytes are appended to."""
    pngs: list[bytes] = []

    def draw(q00: float) -> None:
        q = query.copy()
        q[0, 0] = q00
        output, weights = attention(q, value, key)
        fig = Figure(figsize=(8, 2.3), dpi=90, layout="constrained")
        ax_s, ax_w, ax_o = fig.subplots(1, 3)
        heatmap(ax_s, q @ key.T, title="1 · scores", cmap="cividis")
        weights_heatmap(ax_w, weights, title="2 · softmax weights")
        heatmap(ax_o, output, title="3 · output", cmap="cividis")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        pngs.append(buf.getvalue())

    slider = widgets.FloatSlider(value=float(query[0, 0]), min=-5, max=5, step=0.1)
    widgets.interactive(draw, q00=slider)
    return slider, pngs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60, help="moves per variant (>= 50)")
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras panel")
    args = parser.parse_args(argv)
    tensorflow_env.quiet()
    s = seed_arrays()
    positions = moves(args.moves)
    print(f"explorer latency: seed arrays (query, key, value 2 x 3), {len(positions)} moves "
          "of query[0, 0], 5 warm-up moves each")

    explorer = AttentionExplorer(s["query"], s["value"], s["key"])
    time_moves(explorer.query_sliders[0, 0], positions[:5])
    fast = report("explorer (in-place repaint -> canvas frame)", time_moves(
        explorer.query_sliders[0, 0], positions))
    assert explorer.png.startswith(b"\x89PNG")

    # Outside a kernel, interactive's clear_output() writes terminal escape codes: hide them.
    with contextlib.redirect_stdout(io.StringIO()):
        slider, pngs = naive_interact(s["query"], s["value"], s["key"])
        time_moves(slider, positions[:5])
        naive_times = time_moves(slider, positions)
    naive = report("naive interact (new figure -> PNG)", naive_times)
    assert len(pngs) >= len(positions)

    if not args.no_keras:
        with_keras = AttentionExplorer(s["query"], s["value"], s["key"], keras=True)
        time_moves(with_keras.query_sliders[0, 0], positions[:5])
        report("explorer + Keras panel", time_moves(with_keras.query_sliders[0, 0],
                                                      positions))
        print(f"  largest |numpy - Keras| over the last move: "
              f"{with_keras.result['keras_max_diff']:.1e}")

    ratio = naive / fast
    print(f"speed-up over naive: {ratio:.1f}x")
    print(f"target median <= {TARGET_MS:g} ms without Keras: "
          f"{'PASS' if fast <= TARGET_MS else 'MISS'} ({fast:.1f} ms)")
    print(f"target >= {TARGET_RATIO:g}x faster than naive: "
          f"{'PASS' if ratio >= TARGET_RATIO else 'MISS'} ({ratio:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
