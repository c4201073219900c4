from math import gcd


def reduce_fractions(fractions):
    reduced = []
    append = reduced.append
    for num, den in fractions:
        if den == 0:
            raise ZeroDivisionError("zero denominator")
        if den < 0:
            num, den = -num, -den
        if num == 0:
            append((0, den))
            continue
        g = gcd(num, den)
        append((num // g, den // g))
    return reduced
