"""Deduplicates the dictionary with set(), so a word listed twice is counted once."""


def count_segmentations(s, words):
    if "" in words:
        raise ValueError("words must be non-empty")
    vocabulary = set(words)
    n = len(s)
    ways = [0] * (n + 1)
    ways[n] = 1
    for i in range(n - 1, -1, -1):
        ways[i] = sum(ways[i + len(w)] for w in vocabulary if s.startswith(w, i))
    return ways[0]
