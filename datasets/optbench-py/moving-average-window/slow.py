n, k = map(int, input().split())
a = list(map(float, input().split()))
for i in range(n - k + 1):
    s = 0.0
    for j in range(i, i + k):
        s += a[j]
    print("%.6f" % (s / k))
