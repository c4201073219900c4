def lcs(a, b):
    table = [["" for _ in range(len(b) + 1)] for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + a[i - 1]
            elif len(table[i - 1][j]) >= len(table[i][j - 1]):
                table[i][j] = table[i - 1][j]
            else:
                table[i][j] = table[i][j - 1]
    return table[len(a)][len(b)]
