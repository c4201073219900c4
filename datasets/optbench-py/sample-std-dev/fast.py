from math import sqrt


def sample_std_dev(values):
    n = len(values)
    if n < 2:
        raise ValueError("need at least two values")
    mean = sum(values) / n
    squares = 0.0
    for x in values:
        d = x - mean
        squares += d * d
    return sqrt(squares / (n - 1))
