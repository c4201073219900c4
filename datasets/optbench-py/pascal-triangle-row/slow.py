def pascal_row(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    triangle = [[1]]
    for i in range(1, n + 1):
        prev = triangle[-1]
        row = [1]
        for j in range(1, i):
            row.append(prev[j - 1] + prev[j])
        row.append(1)
        triangle.append(row)
    return triangle[n]
