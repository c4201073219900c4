"""Misses the k > len(nums) check for non-empty lists and returns [] instead of raising."""
from collections import deque


def window_maxima(nums, k):
    if not nums or k < 1:
        raise ValueError("window size must be between 1 and len(nums)")
    window = deque()
    result = []
    for i, x in enumerate(nums):
        while window and nums[window[-1]] < x:
            window.pop()
        window.append(i)
        if window[0] <= i - k:
            window.popleft()
        if i >= k - 1:
            result.append(nums[window[0]])
    return result
