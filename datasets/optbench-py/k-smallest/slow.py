def k_smallest(nums, k):
    if k < 0 or k > len(nums):
        raise ValueError("k out of range")
    pool = list(nums)
    result = []
    for _ in range(k):
        smallest = min(pool)
        pool.remove(smallest)
        result.append(smallest)
    return result
