n = int(input())
intervals = []
for _ in range(n):
    s, e = map(int, input().split())
    intervals.append((e, s))
intervals.sort()
best = [0] * n
answer = 0
for i in range(n):
    e_i, s_i = intervals[i]
    b = 0
    for j in range(i):
        if intervals[j][0] <= s_i and best[j] > b:
            b = best[j]
    best[i] = b + 1
    if best[i] > answer:
        answer = best[i]
print(answer)
