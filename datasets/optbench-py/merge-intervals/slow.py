def merge_intervals(intervals):
    blocks = []
    for start, end in intervals:
        if start > end:
            raise ValueError(f"bad interval [{start}, {end}]")
        # absorb every existing block that overlaps the new interval
        i = 0
        while i < len(blocks):
            s, e = blocks[i]
            if s <= end and start <= e:
                start, end = min(s, start), max(e, end)
                del blocks[i]
            else:
                i += 1
        blocks.append([start, end])
    blocks.sort()
    return blocks
