def count_in_ranges(values, queries):
    answers = []
    for lo, hi in queries:
        count = 0
        for v in values:
            if lo <= v <= hi:
                count += 1
        answers.append(count)
    return answers
