def top_k_frequent(nums, k):
    distinct = []
    for x in nums:
        if x not in distinct:
            distinct.append(x)
    counted = [(nums.count(x), x) for x in distinct]
    counted.sort(key=lambda pair: (-pair[0], pair[1]))
    return [x for _, x in counted[:k]]
