"""Only rejects negative k; k > len(nums) silently returns the whole sorted list."""


def k_smallest(nums, k):
    if k < 0:
        raise ValueError("k out of range")
    return sorted(nums)[:k]
