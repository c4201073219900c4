def power_sum_mod(pairs, modulus):
    total = 0
    for base, exponent in pairs:
        if exponent < 0:
            raise ValueError("negative exponent")
        result = 1
        for _ in range(exponent):
            result = result * base % modulus
        total = (total + result) % modulus
    return total
