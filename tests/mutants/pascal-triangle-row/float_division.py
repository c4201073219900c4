"""Uses true division in the multiplicative formula, so large binomials lose precision."""


def pascal_row(n):
    if n < 0:
        raise ValueError("n must be non-negative")
    row = [1]
    for k in range(n):
        row.append(int(row[-1] * (n - k) / (k + 1)))
    return row
