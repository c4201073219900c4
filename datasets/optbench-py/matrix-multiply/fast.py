from operator import mul


def matrix_multiply(a, b):
    if a and len(a[0]) != len(b):
        raise ValueError("inner dimensions differ")
    columns = list(zip(*b))
    return [[sum(map(mul, row, column)) for column in columns] for row in a]
