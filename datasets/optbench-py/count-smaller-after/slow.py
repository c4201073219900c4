def count_smaller_after(nums):
    counts = []
    for i, x in enumerate(nums):
        smaller = 0
        for y in nums[i + 1:]:
            if y < x:
                smaller += 1
        counts.append(smaller)
    return counts
