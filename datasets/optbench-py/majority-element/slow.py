def majority(nums):
    for x in nums:
        if nums.count(x) > len(nums) // 2:
            return x
    raise ValueError("no majority element")
