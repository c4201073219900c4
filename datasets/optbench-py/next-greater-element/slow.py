def next_greater(nums):
    result = []
    for i in range(len(nums)):
        found = None
        for j in range(i + 1, len(nums)):
            if nums[j] > nums[i]:
                found = nums[j]
                break
        result.append(found)
    return result
