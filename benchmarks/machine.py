"""This machine's speed now, printed beside every timing: shared machines vary by half
from one hour to the next, so figures compare only together with it."""

from __future__ import annotations

import time


def cpu_reference_ms() -> float:
    """Milliseconds for 3 million multiply-adds in a Python loop (the benchmarks' CPU
    reference)."""
    start = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i
    return (time.perf_counter() - start) * 1000
