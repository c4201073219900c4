def closest_values(values, queries):
    result = []
    for q in queries:
        result.append(min(values, key=lambda v: (abs(v - q), v)))
    return result
