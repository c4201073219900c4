def power_sum_mod(pairs, modulus):
    if not pairs:
        return 0
    total = 0
    for base, exponent in pairs:
        if exponent < 0:
            raise ValueError("negative exponent")
        if modulus == 0:
            # the plain loop divides by the modulus; pow() would raise ValueError
            raise ZeroDivisionError("integer modulo by zero")
        total += pow(base, exponent, modulus)
    return total % modulus
