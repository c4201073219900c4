def running_medians(nums):
    seen = []
    medians = []
    for x in nums:
        seen.append(x)
        seen.sort()
        mid = len(seen) // 2
        if len(seen) % 2:
            medians.append(seen[mid])
        else:
            medians.append((seen[mid - 1] + seen[mid]) / 2)
    return medians
