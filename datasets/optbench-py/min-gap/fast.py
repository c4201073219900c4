from itertools import pairwise


def min_gap(nums):
    if len(nums) < 2:
        raise ValueError("need at least two numbers")
    return min(b - a for a, b in pairwise(sorted(nums)))
