"""A recurrent layer's loop of steps against self-attention's one product: the seed's claim
that attention "computes efficiently in parallel" (能高效的并行运算), counted and timed.

A recurrent layer computes h_t = tanh(x_t W_x + h_{t-1} W_h): step t needs step t - 1,
so n tokens take n steps, one after another, each of about 2 d^2 multiply-adds. Self-
attention computes every output from the inputs alone, softmax(X X^T / sqrt(d)) X: no
output waits for another, so the whole sequence is a fixed number of matrix products,
about 2 n^2 d multiply-adds. The first is sequential and grows like n; the second can run
all at once and grows like n^2.

Timing is by :func:`time_call` (best of several repeats, to read through a noisy machine).
Timings change from one machine and one moment to the next: print them, never assert them.
Introduced in notebooks/03_three_stage_computation.ipynb.
"""

from __future__ import annotations

import dataclasses
import timeit
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._checks import as_float_array, check_int
from .core import attention


def recurrent_loop(x: Any, w_x: Any, w_h: Any) -> tuple[np.ndarray, int]:
    """Run a plain recurrent layer over ``x``: h_t = tanh(x_t W_x + h_{t-1} W_h), h_{-1} = 0.

    Shapes: x (n, d_in), w_x (d_in, d), w_h (d, d) -> (states (n, d), steps). ``steps``
    counts the loop's iterations, each of which needed the state the one before left.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    xs = as_float_array(x, "x", min_ndim=2)
    wx = as_float_array(w_x, "w_x", min_ndim=2)
    wh = as_float_array(w_h, "w_h", min_ndim=2)
    if xs.ndim != 2:
        raise ValueError(f"x must have shape (n, d_in), one row per token; got {xs.shape}")
    if wx.ndim != 2 or wx.shape[0] != xs.shape[1]:
        raise ValueError(f"w_x must have shape (d_in, d) with d_in = {xs.shape[1]} (x's "
                         f"features); got {wx.shape}")
    if wh.shape != (wx.shape[1], wx.shape[1]):
        raise ValueError(f"w_h must have shape (d, d) = {(wx.shape[1], wx.shape[1])}, "
                         f"square with w_x's {wx.shape[1]} units; got {wh.shape}")
    h = np.zeros(wx.shape[1])
    states = np.empty((xs.shape[0], wx.shape[1]))
    steps = 0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + h @ wh)
        states[t] = h
        steps += 1
    return states, steps


def self_attention(x: Any) -> np.ndarray:
    """Scaled dot-product self-attention of ``x`` with no projections, every output at
    once: softmax(x x^T / sqrt(d)) x. Shapes: x (n, d) -> (n, d).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    xs = as_float_array(x, "x", min_ndim=2)
    if xs.ndim != 2:
        raise ValueError(f"x must have shape (n, d), one row per token; got {xs.shape}")
    return attention(xs, xs, score_mode="scaled_dot")[0]


def multiply_adds(n: int, d: int) -> dict[str, int]:
    """The multiply-adds of each way on n tokens of d features: the loop's 2 n d^2
    (x_t W_x and h_{t-1} W_h, n times) and self-attention's 2 n^2 d (the n x n scores,
    then the weighted sum of n values for each of n queries).
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    n = check_int(n, "n", minimum=1)
    d = check_int(d, "d", minimum=1)
    return {"recurrent": 2 * n * d * d, "attention": 2 * n * n * d}


def time_call(fn: Callable[..., Any], *args: Any, repeats: int = 5) -> float:
    """Seconds per call of ``fn(*args)``: each repeat runs it enough times to take at least
    0.2 s (timeit's autorange), and the best repeat is kept, the one least disturbed by
    whatever else the machine was doing. :func:`time_lengths` times with it.
    """
    repeats = check_int(repeats, "repeats", minimum=1)
    if not callable(fn):
        raise TypeError(f"fn must be a function to time; got {type(fn).__name__}")
    timer = timeit.Timer(lambda: fn(*args))
    number, _ = timer.autorange()
    return min(timer.repeat(repeats, number)) / number


@dataclasses.dataclass(frozen=True)
class LengthTiming:
    """One sequence length: the loop's steps and seconds, attention's seconds."""

    n: int
    steps: int
    recurrent_s: float
    attention_s: float

    @property
    def ratio(self) -> float:
        """How many times longer the loop took than self-attention (below 1: faster)."""
        return self.recurrent_s / self.attention_s


def time_lengths(lengths: Sequence[int], *, d: int = 32, seed: int = 0,
                 repeats: int = 5) -> list[LengthTiming]:
    """Time :func:`recurrent_loop` and :func:`self_attention` on random tokens of each
    length (d features; the recurrent weights scaled by 1/sqrt(d)), in one run, so the
    two are measured on the same machine at the same moment.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    d = check_int(d, "d", minimum=1)
    ns = [check_int(n, "lengths[]", minimum=1) for n in lengths]
    if not ns:
        raise ValueError("lengths must hold at least one sequence length")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    w_x, w_h = rng.normal(size=(2, d, d)) / np.sqrt(d)
    rows = []
    for n in ns:
        x = rng.normal(size=(n, d))
        _, steps = recurrent_loop(x, w_x, w_h)
        rows.append(LengthTiming(
            n, steps, time_call(recurrent_loop, x, w_x, w_h, repeats=repeats),
            time_call(self_attention, x, repeats=repeats)))
    return rows


def growth_exponent(lengths: Sequence[float], values: Sequence[float]) -> float:
    """The k of values ~ c * lengths**k, fitted by least squares on log-log axes.
    Introduced in notebooks/03_three_stage_computation.ipynb.
    """
    n = as_float_array(lengths, "lengths")
    v = as_float_array(values, "values")
    if n.ndim != 1 or n.shape != v.shape or n.size < 2:
        raise ValueError(f"lengths and values must be two 1-D arrays of the same length, at "
                         f"least 2; got shapes {n.shape} and {v.shape}")
    if (n <= 0).any() or (v <= 0).any():
        raise ValueError("lengths and values must be positive to fit on log-log axes")
    if np.unique(n).size < 2:
        raise ValueError("lengths must hold at least two different lengths")
    return float(np.polyfit(np.log(n), np.log(v), 1)[0])


@dataclasses.dataclass(frozen=True)
class ScoreMatrixCost:
    """One length: the seconds to compute the n x n attention weights softmax(X X^T /
    sqrt(d)) of n tokens, the bytes of that matrix, and the peak bytes numpy allocated on
    the way (the matrix, plus numpy's fixed working buffer of a few tens of KiB and a few
    vectors of n)."""

    n: int
    seconds: float
    weights_bytes: int
    peak_bytes: int


def _weights_only(x: np.ndarray) -> np.ndarray:
    """The weights, every step in place, so the n x n matrix is the one big allocation."""
    s = x @ x.T
    s *= 1 / np.sqrt(x.shape[1])
    s -= s.max(axis=1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=1, keepdims=True)
    return s


def score_matrix_costs(lengths: Sequence[int], *, d: int = 32, seed: int = 0,
                       repeats: int = 5) -> list[ScoreMatrixCost]:
    """Time and memory of the n x n weights of self-attention, for each length: the time by
    :func:`time_call`, the memory as the peak of what numpy allocates while computing them
    (``tracemalloc``, which numpy reports to; the same on every machine for the same
    shapes, unlike the time). The weights are float64, n * n * 8 bytes.
    Introduced in notebooks/10_from_attention_to_the_transformer.ipynb.
    """
    import tracemalloc

    d = check_int(d, "d", minimum=1)
    ns = [check_int(n, "lengths[]", minimum=1) for n in lengths]
    if not ns:
        raise ValueError("lengths must hold at least one sequence length")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    rows = []
    for n in ns:
        x = rng.normal(size=(n, d))
        seconds = time_call(_weights_only, x, repeats=repeats)
        was_tracing = tracemalloc.is_tracing()
        if not was_tracing:
            tracemalloc.start()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        weights = _weights_only(x)
        _, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        rows.append(ScoreMatrixCost(n, seconds, weights.nbytes, peak - before))
    return rows
