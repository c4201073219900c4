"""Calls pow(base, exp, 0) for a zero modulus, raising ValueError instead of ZeroDivisionError."""


def power_sum_mod(pairs, modulus):
    if not pairs:
        return 0
    total = 0
    for base, exponent in pairs:
        if exponent < 0:
            raise ValueError("negative exponent")
        total += pow(base, exponent, modulus)
    return total % modulus
