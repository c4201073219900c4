"""Adds both d and n // d even when they are equal, double-counting the root of a perfect square."""
from math import isqrt


def proper_divisor_sums(numbers):
    result = []
    for n in numbers:
        if n <= 0:
            raise ValueError("numbers must be positive")
        if n == 1:
            result.append(0)
            continue
        total = 1
        for d in range(2, isqrt(n) + 1):
            if n % d == 0:
                total += d + n // d
        result.append(total)
    return result
