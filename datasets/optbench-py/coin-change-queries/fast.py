import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    coins = list(map(int, data[2 : 2 + n]))
    amounts = list(map(int, data[2 + n : 2 + n + q]))
    if not amounts:
        return
    top = max(amounts)
    mod = 1000000007
    ways = [0] * (top + 1)
    ways[0] = 1
    for c in coins:
        for v in range(c, top + 1):
            ways[v] = (ways[v] + ways[v - c]) % mod
    sys.stdout.write("\n".join([str(ways[a]) for a in amounts]) + "\n")


main()
