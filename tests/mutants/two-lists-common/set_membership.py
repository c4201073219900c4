"""Tests membership in set(b), losing multiplicity: a value repeated in a is kept too often."""


def common_elements(a, b):
    in_b = set(b)
    return [x for x in a if x in in_b]
