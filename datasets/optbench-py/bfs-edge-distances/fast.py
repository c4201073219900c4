import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, s = int(data[0]), int(data[1]), int(data[2])
    adj = [[] for _ in range(n + 1)]
    for k in range(3, 3 + 2 * m, 2):
        u, v = int(data[k]), int(data[k + 1])
        adj[u].append(v)
        adj[v].append(u)
    dist = [-1] * (n + 1)
    dist[s] = 0
    frontier = [s]
    d = 0
    while frontier:
        d += 1
        nxt = []
        for x in frontier:
            for y in adj[x]:
                if dist[y] == -1:
                    dist[y] = d
                    nxt.append(y)
        frontier = nxt
    sys.stdout.write("\n".join(map(str, dist[1:])) + "\n")


main()
