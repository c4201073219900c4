def max_overlap(intervals):
    for start, end in intervals:
        if start > end:
            raise ValueError(f"bad interval ({start}, {end})")
    best = 0
    # the busiest moment is always at the start of some interval
    for point, _ in intervals:
        count = 0
        for start, end in intervals:
            if start <= point <= end:
                count += 1
        best = max(best, count)
    return best
