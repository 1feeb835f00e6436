"""Shared by the benchmark scripts (run as ``python benchmarks/<script>.py``, so this folder is on sys.path).

Every comparison is interleaved (A B A B ...: a machine that slows down or speeds up during the run slows both
alike), reported as medians and as the ratio of each pair (baseline / ours, > 1 means ours is faster), with
the machine and its load printed first, because these machines are shared.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable


def machine() -> str:
    """The machine, in one line: CPUs, memory, Python, and the load averages now."""
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) / 2**20
        memory = f"{mem:.0f} GiB"
    except OSError:
        memory = "? GiB"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} CPUs, {memory}, {platform.machine()}, Python {platform.python_version()}; "
        f"load average (1, 5, 15 min): {load}"
    )


def interleaved(
    cases: dict[str, Callable[[], object]], repeat: int, *, warmup: int = 1
) -> tuple[dict[str, list[float]], dict[str, object]]:
    """Wall times of each case over ``repeat`` rounds, the cases run in turn within a round (after ``warmup``
    uncounted rounds), and each case's last result.

    The garbage a case leaves is collected before the next one starts, outside the timing: each case pays
    for the collections its own objects cause, not for another case's (a pandas read leaves thousands of
    objects; the case timed after it was 5-10 % slower whichever it was)."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    results: dict[str, object] = {}
    for round_ in range(warmup + repeat):
        for name, fn in cases.items():
            gc.collect()
            start = time.perf_counter()
            results[name] = fn()
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                times[name].append(elapsed)
    return times, results


def report(times: dict[str, list[float]], *, ours: str, unit: str = "s") -> dict[str, float]:
    """Print every case's median (min-max) and, for each other case, the pairwise ratios other/ours (median,
    min, max). Returns the median ratio per other case."""
    scale = 1000.0 if unit == "ms" else 1.0
    width = max(len(n) for n in times)
    for name, ts in times.items():
        print(
            f"   {name:<{width}} : median {statistics.median(ts) * scale:9.3f} {unit}"
            f"  (min {min(ts) * scale:.3f}, max {max(ts) * scale:.3f}, n={len(ts)})"
        )
    ratios = {}
    for name, ts in times.items():
        if name == ours:
            continue
        pairs = [other / mine for other, mine in zip(ts, times[ours], strict=True)]
        ratios[name] = statistics.median(pairs)
        print(
            f"   ratio {name} / {ours}: median {ratios[name]:.2f}x  (pairs min {min(pairs):.2f}x, "
            f"max {max(pairs):.2f}x)"
        )
    return ratios


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls of ``fn`` and the last result (one case alone; comparisons use
    :func:`interleaved`)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
