def max_overlap(intervals):
    events = []
    for start, end in intervals:
        if start > end:
            raise ValueError(f"bad interval ({start}, {end})")
        events.append((start, 0))  # starts sort before ends at the same point
        events.append((end, 1))
    events.sort()
    best = active = 0
    for _, kind in events:
        if kind == 0:
            active += 1
            if active > best:
                best = active
        else:
            active -= 1
    return best
