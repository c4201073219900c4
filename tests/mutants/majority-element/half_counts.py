"""Accepts a value filling exactly half of the list (>= n / 2) as a majority."""
from collections import Counter


def majority(nums):
    if nums:
        value, count = Counter(nums).most_common(1)[0]
        if count >= len(nums) / 2:
            return value
    raise ValueError("no majority element")
