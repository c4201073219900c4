def min_gap(nums):
    if len(nums) < 2:
        raise ValueError("need at least two numbers")
    best = None
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            gap = abs(nums[i] - nums[j])
            if best is None or gap < best:
                best = gap
    return best
