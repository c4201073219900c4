def sort_people(people):
    result = list(people)
    n = len(result)
    for i in range(n):
        for j in range(n - 1 - i):
            a, b = result[j], result[j + 1]
            if a[1] > b[1] or (a[1] == b[1] and a[0] < b[0]):
                result[j], result[j + 1] = b, a
    return result
