def edit_distance(a, b):
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        append = current.append
        for j, cb in enumerate(b, 1):
            if ca == cb:
                append(previous[j - 1])
            else:
                append(1 + min(previous[j], current[j - 1], previous[j - 1]))
        previous = current
    return previous[-1]
