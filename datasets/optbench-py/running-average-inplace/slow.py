def running_average_inplace(values):
    # walk backwards so the prefixes still hold the original numbers
    for i in range(len(values) - 1, -1, -1):
        values[i] = sum(values[:i + 1]) / (i + 1)
