MOD = 1000000007
n, q = map(int, input().split())
coins = list(map(int, input().split()))
for _ in range(q):
    amount = int(input())
    ways = [0] * (amount + 1)
    ways[0] = 1
    for c in coins:
        for v in range(c, amount + 1):
            ways[v] = (ways[v] + ways[v - c]) % MOD
    print(ways[amount])
