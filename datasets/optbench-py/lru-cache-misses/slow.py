def count_misses(requests, capacity):
    if capacity < 0:
        raise ValueError("capacity must be non-negative")
    cache = []  # least recently used first
    misses = 0
    for key in requests:
        if key in cache:
            cache.remove(key)
            cache.append(key)
        else:
            misses += 1
            if capacity == 0:
                continue
            if len(cache) == capacity:
                cache.pop(0)
            cache.append(key)
    return misses
