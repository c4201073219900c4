def evaluate_polynomial(coefficients, points):
    results = []
    for x in points:
        total = 0.0
        for i in range(len(coefficients)):
            total += coefficients[i] * x ** i
        results.append(total)
    return results
