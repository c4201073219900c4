from collections import OrderedDict


def count_misses(requests, capacity):
    if capacity < 0:
        raise ValueError("capacity must be non-negative")
    if capacity == 0:
        return len(requests)
    cache = OrderedDict()  # least recently used first
    misses = 0
    for key in requests:
        if key in cache:
            cache.move_to_end(key)
        else:
            misses += 1
            if len(cache) == capacity:
                cache.popitem(last=False)
            cache[key] = None
    return misses
