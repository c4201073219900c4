def mean_pairwise_distance(values):
    total = 0.0
    pairs = 0
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            total += abs(values[i] - values[j])
            pairs += 1
    return total / pairs
