def mean_pairwise_distance(values):
    n = len(values)
    if n < 2:
        raise ZeroDivisionError("float division by zero")
    # after sorting, x_j is larger than the j values before it and smaller
    # than the n - 1 - j values after it
    total = 0.0
    for j, x in enumerate(sorted(values)):
        total += x * (2 * j - n + 1)
    return total / (n * (n - 1) // 2)
