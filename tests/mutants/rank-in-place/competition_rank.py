"""Bisects the sorted list with duplicates: competition ranks instead of dense ranks."""
from bisect import bisect_left


def rank_in_place(nums):
    ordered = sorted(nums)
    distinct = len(set(nums))
    nums[:] = [bisect_left(ordered, value) for value in nums]
    return distinct
