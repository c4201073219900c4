def window_maxima(nums, k):
    if k < 1 or k > len(nums):
        raise ValueError("window size must be between 1 and len(nums)")
    result = []
    for i in range(len(nums) - k + 1):
        result.append(max(nums[i:i + k]))
    return result
