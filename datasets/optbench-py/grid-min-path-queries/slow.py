h, w, q = map(int, input().split())
grid = []
for _ in range(h):
    grid.append(list(map(int, input().split())))
for _ in range(q):
    r, c = map(int, input().split())
    dp = []
    for i in range(r):
        dp.append([0] * c)
    for i in range(r):
        for j in range(c):
            if i == 0 and j == 0:
                dp[i][j] = grid[0][0]
            elif i == 0:
                dp[i][j] = dp[i][j - 1] + grid[i][j]
            elif j == 0:
                dp[i][j] = dp[i - 1][j] + grid[i][j]
            else:
                dp[i][j] = min(dp[i - 1][j], dp[i][j - 1]) + grid[i][j]
    print(dp[r - 1][c - 1])
