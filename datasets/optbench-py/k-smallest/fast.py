import heapq


def k_smallest(nums, k):
    if k < 0 or k > len(nums):
        raise ValueError("k out of range")
    return heapq.nsmallest(k, nums)
