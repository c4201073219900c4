def evaluate_polynomial(coefficients, points):
    reversed_coefficients = coefficients[::-1]
    results = []
    for x in points:
        total = 0.0
        for c in reversed_coefficients:
            total = total * x + c
        results.append(total)
    return results
