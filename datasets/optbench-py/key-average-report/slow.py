n = int(input())
keys = []
totals = []
counts = []
for _ in range(n):
    k, v = input().split()
    v = int(v)
    if k in keys:
        i = keys.index(k)
        totals[i] = totals[i] + v
        counts[i] = counts[i] + 1
    else:
        keys.append(k)
        totals.append(v)
        counts.append(1)
for k in sorted(keys):
    i = keys.index(k)
    print(k, "%.2f" % (totals[i] / counts[i]))
