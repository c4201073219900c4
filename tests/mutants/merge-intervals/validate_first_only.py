"""Validates only the first interval, so a later start > end interval is merged, not rejected."""


def merge_intervals(intervals):
    if intervals and intervals[0][0] > intervals[0][1]:
        raise ValueError("bad interval")
    merged = []
    for start, end in sorted(intervals, key=lambda iv: iv[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
