def hits_in_window(hits, queries, window):
    if window <= 0:
        raise ValueError("window must be positive")
    result = []
    for t in queries:
        count = 0
        for h in hits:
            if t - window < h <= t:
                count += 1
        result.append(count)
    return result
