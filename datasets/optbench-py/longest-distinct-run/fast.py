def longest_distinct_run(items):
    last_seen = {}
    best = 0
    start = 0  # the current run is items[start:i + 1]
    for i, item in enumerate(items):
        previous = last_seen.get(item)
        if previous is not None and previous >= start:
            start = previous + 1
        last_seen[item] = i
        if i - start + 1 > best:
            best = i - start + 1
    return best
