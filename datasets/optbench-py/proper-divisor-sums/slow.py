def proper_divisor_sums(numbers):
    result = []
    for n in numbers:
        if n <= 0:
            raise ValueError("numbers must be positive")
        total = 0
        for d in range(1, n):
            if n % d == 0:
                total += d
        result.append(total)
    return result
