"""Horner's rule started from the int 0, so the zero polynomial evaluates to 0 instead of 0.0."""


def evaluate_polynomial(coefficients, points):
    results = []
    for x in points:
        total = 0
        for c in reversed(coefficients):
            total = total * x + c
        results.append(total)
    return results
