"""Adds each edge only as u -> v, treating the graph as directed."""
import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    n, m, s = int(data[0]), int(data[1]), int(data[2])
    adj = [[] for _ in range(n + 1)]
    for k in range(3, 3 + 2 * m, 2):
        adj[int(data[k])].append(int(data[k + 1]))
    dist = [-1] * (n + 1)
    dist[s] = 0
    dq = deque([s])
    while dq:
        x = dq.popleft()
        for y in adj[x]:
            if dist[y] == -1:
                dist[y] = dist[x] + 1
                dq.append(y)
    sys.stdout.write("\n".join(map(str, dist[1:])) + "\n")


main()
