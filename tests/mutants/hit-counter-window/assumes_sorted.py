"""Bisects hits without sorting them first, assuming timestamps arrive in order."""
from bisect import bisect_right


def hits_in_window(hits, queries, window):
    if window <= 0:
        raise ValueError("window must be positive")
    return [bisect_right(hits, t) - bisect_right(hits, t - window) for t in queries]
