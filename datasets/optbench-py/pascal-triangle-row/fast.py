def pascal_row(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    row = [1] * (n + 1)
    value = 1
    for k in range(n // 2):
        value = value * (n - k) // (k + 1)
        row[k + 1] = row[n - k - 1] = value
    return row
