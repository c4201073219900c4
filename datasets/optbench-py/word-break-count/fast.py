from collections import Counter


def count_segmentations(s, words):
    if "" in words:
        raise ValueError("words must be non-empty")
    multiplicity = list(Counter(words).items())
    n = len(s)
    ways = [0] * (n + 1)
    ways[n] = 1
    for i in range(n - 1, -1, -1):
        total = 0
        for w, times in multiplicity:
            if s.startswith(w, i):
                total += times * ways[i + len(w)]
        ways[i] = total
    return ways[0]
