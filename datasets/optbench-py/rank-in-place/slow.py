def rank_in_place(nums):
    distinct = sorted(set(nums))
    for i in range(len(nums)):
        nums[i] = distinct.index(nums[i])
    return len(distinct)
