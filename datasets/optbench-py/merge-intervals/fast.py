def merge_intervals(intervals):
    for start, end in intervals:
        if start > end:
            raise ValueError(f"bad interval [{start}, {end}]")
    merged = []
    for start, end in sorted(intervals, key=lambda iv: iv[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged
