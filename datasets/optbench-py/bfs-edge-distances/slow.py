n, m, s = map(int, input().split())
edges = []
for _ in range(m):
    u, v = map(int, input().split())
    edges.append((u, v))
dist = [-1] * (n + 1)
dist[s] = 0
queue = [s]
while queue:
    x = queue.pop(0)
    for u, v in edges:
        if u == x and dist[v] == -1:
            dist[v] = dist[x] + 1
            queue.append(v)
        elif v == x and dist[u] == -1:
            dist[u] = dist[x] + 1
            queue.append(u)
for i in range(1, n + 1):
    print(dist[i])
