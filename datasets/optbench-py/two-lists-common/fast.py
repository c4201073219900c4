from collections import Counter


def common_elements(a, b):
    available = Counter(b)
    common = []
    for x in a:
        if available[x] > 0:
            available[x] -= 1
            common.append(x)
    return common
