"""Raises ValueError on empty values even when there are no queries (the original returns [])."""
from bisect import bisect_left


def closest_values(values, queries):
    if not values:
        raise ValueError("values is empty")
    ordered = sorted(values)
    result = []
    for q in queries:
        i = bisect_left(ordered, q)
        candidates = ordered[max(i - 1, 0):i + 1]
        result.append(min(candidates, key=lambda v: (abs(v - q), v)))
    return result
