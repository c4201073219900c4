from collections import Counter


def top_k_frequent(nums, k):
    counts = Counter(nums)
    ranked = sorted(counts, key=lambda x: (-counts[x], x))
    return ranked[:k]
