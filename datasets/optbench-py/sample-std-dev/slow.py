def sample_std_dev(values):
    if len(values) < 2:
        raise ValueError("need at least two values")
    squares = 0.0
    for x in values:
        mean = sum(values) / len(values)
        squares += (x - mean) ** 2
    return (squares / (len(values) - 1)) ** 0.5
