"""Forgets to refresh a key on a hit, so it evicts first-in instead of least-recently-used."""
from collections import OrderedDict


def count_misses(requests, capacity):
    if capacity < 0:
        raise ValueError("capacity must be non-negative")
    if capacity == 0:
        return len(requests)
    cache = OrderedDict()
    misses = 0
    for key in requests:
        if key not in cache:
            misses += 1
            if len(cache) == capacity:
                cache.popitem(last=False)
            cache[key] = None
    return misses
