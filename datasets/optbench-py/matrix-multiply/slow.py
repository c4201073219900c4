def column(matrix, j):
    return [row[j] for row in matrix]


def dot(u, v):
    total = 0
    for x, y in zip(u, v):
        total += x * y
    return total


def matrix_multiply(a, b):
    if a and len(a[0]) != len(b):
        raise ValueError("inner dimensions differ")
    cols = len(b[0]) if b else 0
    result = []
    for row in a:
        result.append([dot(row, column(b, j)) for j in range(cols)])
    return result
