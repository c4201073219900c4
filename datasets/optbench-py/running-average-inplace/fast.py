from itertools import accumulate


def running_average_inplace(values):
    values[:] = [total / count for count, total in enumerate(accumulate(values), 1)]
