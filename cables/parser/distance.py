"""Edit distance for recognising mistyped names (stations, TAGS codes, titles)."""

from __future__ import annotations


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit. Exact up to
    ``limit``; a distance beyond it is some number above ``limit`` (the search stops early).

    Only the cells within ``limit`` of the diagonal are computed: an alignment that strays
    further costs more than ``limit``."""
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if a == b:
        return 0
    if limit == 1:
        return _one_edit_distance(a, b)
    beyond = limit + 1
    prev2: list[int] = []
    prev = [j if j <= limit else beyond for j in range(lb + 1)]
    for i in range(1, la + 1):
        cur = [beyond] * (lb + 1)
        if i <= limit:
            cur[0] = i
        row_min = cur[0]
        ai = a[i - 1]
        for j in range(max(1, i - limit), min(lb, i + limit) + 1):
            bj = b[j - 1]
            d = prev[j - 1] if ai == bj else prev[j - 1] + 1
            if prev[j] + 1 < d:
                d = prev[j] + 1
            if cur[j - 1] + 1 < d:
                d = cur[j - 1] + 1
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == bj and prev2[j - 2] + 1 < d:
                d = prev2[j - 2] + 1
            cur[j] = d
            if d < row_min:
                row_min = d
        if row_min > limit:
            return beyond
        prev2, prev = prev, cur
    return min(prev[lb], beyond)


def _one_edit_distance(a: str, b: str) -> int:
    """``osa_distance(a, b, 1)`` for two different strings: 1 when one substitution,
    insertion, deletion or swap of neighbours makes one the other, else 2."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    shorter = len(a)
    while i < shorter and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return 1 if a[i:] == b[i + 1 :] else 2  # a letter inserted at the first difference
    if a[i + 1 :] == b[i + 1 :]:
        return 1  # one letter replaced
    if a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]:
        return 1  # two neighbours swapped
    return 2
