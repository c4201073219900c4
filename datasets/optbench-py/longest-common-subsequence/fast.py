def lcs(a, b):
    n, m = len(a), len(b)
    lengths = [[0] * (m + 1)]
    previous = lengths[0]
    for i in range(n):
        ca = a[i]
        current = [0] * (m + 1)
        left = 0
        for j in range(m):
            if ca == b[j]:
                left = previous[j] + 1
            else:
                up = previous[j + 1]
                if up > left:
                    left = up
            current[j + 1] = left
        lengths.append(current)
        previous = current
    # walk back with the same tie-breaking as the table recurrence
    out = []
    i, j = n, m
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i -= 1
            j -= 1
        elif lengths[i - 1][j] >= lengths[i][j - 1]:
            i -= 1
        else:
            j -= 1
    out.reverse()
    return "".join(out)
