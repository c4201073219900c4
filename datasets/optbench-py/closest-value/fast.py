from bisect import bisect_left


def closest_values(values, queries):
    if not queries:
        return []
    if not values:
        raise ValueError("closest_values() arg is an empty sequence")
    ordered = sorted(values)
    last = len(ordered) - 1
    result = []
    for q in queries:
        i = bisect_left(ordered, q)
        if i == 0:
            result.append(ordered[0])
        elif i > last:
            result.append(ordered[last])
        else:
            below, above = ordered[i - 1], ordered[i]
            result.append(below if q - below <= above - q else above)
    return result
