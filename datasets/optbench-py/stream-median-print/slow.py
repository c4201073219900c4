n = int(input())
a = list(map(int, input().split()))
seen = []
for i in range(n):
    seen.append(a[i])
    s = sorted(seen)
    k = len(s)
    if k % 2 == 1:
        m = s[k // 2]
    else:
        m = (s[k // 2 - 1] + s[k // 2]) / 2
    print("%.1f" % m)
