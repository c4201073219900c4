"""Forgets to move the sign to the numerator, so negative denominators survive."""
from math import gcd


def reduce_fractions(fractions):
    reduced = []
    for num, den in fractions:
        if den == 0:
            raise ZeroDivisionError("zero denominator")
        if num == 0:
            reduced.append((0, den))
            continue
        g = gcd(num, den)
        reduced.append((num // g, den // g))
    return reduced
