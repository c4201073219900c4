from bisect import bisect_right


def hits_in_window(hits, queries, window):
    if window <= 0:
        raise ValueError("window must be positive")
    ordered = sorted(hits)
    return [bisect_right(ordered, t) - bisect_right(ordered, t - window) for t in queries]
