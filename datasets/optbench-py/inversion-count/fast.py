def _sort_count(items):
    if len(items) <= 1:
        return items, 0
    mid = len(items) // 2
    left, left_count = _sort_count(items[:mid])
    right, right_count = _sort_count(items[mid:])
    count = left_count + right_count
    merged = []
    i = j = 0
    while i < len(left) and j < len(right):
        if right[j] < left[i]:
            merged.append(right[j])
            count += len(left) - i
            j += 1
        else:
            merged.append(left[i])
            i += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged, count


def count_inversions(nums):
    return _sort_count(list(nums))[1]
