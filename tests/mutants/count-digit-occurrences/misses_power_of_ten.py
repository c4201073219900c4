"""Loops while place < n, missing the leading position when n is a power of ten (or 1)."""


def count_digit(n, digit):
    if not 0 <= digit <= 9:
        raise ValueError("digit must be between 0 and 9")
    count = 0
    place = 1
    while place < n:
        high, rest = divmod(n, place * 10)
        current, low = divmod(rest, place)
        if digit == 0:
            if high == 0:
                break
            count += (high - 1) * place
            count += place if current > 0 else low + 1
        else:
            count += high * place
            if current > digit:
                count += place
            elif current == digit:
                count += low + 1
        place *= 10
    return count
