"""Forgets the lo > hi case, where the bisect difference goes negative instead of 0."""
from bisect import bisect_left, bisect_right


def count_in_ranges(values, queries):
    ordered = sorted(values)
    return [bisect_right(ordered, hi) - bisect_left(ordered, lo) for lo, hi in queries]
