"""Uses Counter.most_common: ties go by first occurrence, not value; negative k gives []."""
from collections import Counter


def top_k_frequent(nums, k):
    return [x for x, _ in Counter(nums).most_common(k)]
