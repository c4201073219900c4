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
        root = isqrt(n)
        for d in range(2, root + 1):
            if n % d == 0:
                total += d
                other = n // d
                if other != d:
                    total += other
        result.append(total)
    return result
