def common_elements(a, b):
    remaining = list(b)
    common = []
    for x in a:
        if x in remaining:
            remaining.remove(x)
            common.append(x)
    return common
