def rank_in_place(nums):
    distinct = sorted(set(nums))
    rank = {value: i for i, value in enumerate(distinct)}
    nums[:] = [rank[value] for value in nums]
    return len(distinct)
