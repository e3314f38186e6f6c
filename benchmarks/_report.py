"""What the benchmarks share: one line of timing figures per variant."""

from __future__ import annotations

import statistics


def report(name: str, times: list[float], *, width: int = 46, show_max: bool = False) -> float:
    """Print ``name``'s median, 10th and 90th percentiles (and the maximum) in ms, with
    the number of runs; return the median."""
    med = statistics.median(times)
    q = statistics.quantiles(times, n=10)
    worst = f"   max {max(times):6.1f}" if show_max else ""
    print(f"{name:<{width}} median {med:6.1f} ms   p10 {q[0]:6.1f}   p90 {q[-1]:6.1f}"
          f"{worst}   (n={len(times)})")
    return med
