from bisect import bisect_left, insort


def count_smaller_after(nums):
    counts = [0] * len(nums)
    seen = []  # sorted values to the right of the current position
    for i in range(len(nums) - 1, -1, -1):
        x = nums[i]
        counts[i] = bisect_left(seen, x)
        insort(seen, x)
    return counts
