def next_greater(nums):
    result = [None] * len(nums)
    waiting = []  # indices still looking for a greater value; values non-increasing
    for i, x in enumerate(nums):
        while waiting and nums[waiting[-1]] < x:
            result[waiting.pop()] = x
        waiting.append(i)
    return result
