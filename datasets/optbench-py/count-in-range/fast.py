from bisect import bisect_left, bisect_right


def count_in_ranges(values, queries):
    ordered = sorted(values)
    answers = []
    for lo, hi in queries:
        if lo > hi:
            answers.append(0)
        else:
            answers.append(bisect_right(ordered, hi) - bisect_left(ordered, lo))
    return answers
