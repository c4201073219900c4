h, w = map(int, input().split())
grid = []
for _ in range(h):
    grid.append(input())
visited = set()
count = 0
largest = 0
for i in range(h):
    for j in range(w):
        if grid[i][j] == "." and (i, j) not in visited:
            count += 1
            size = 0
            queue = [(i, j)]
            visited.add((i, j))
            while len(queue) > 0:
                r, c = queue.pop(0)
                size += 1
                for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
                    nr = r + dr
                    nc = c + dc
                    if 0 <= nr < h and 0 <= nc < w:
                        if grid[nr][nc] == "." and (nr, nc) not in visited:
                            visited.add((nr, nc))
                            queue.append((nr, nc))
            if size > largest:
                largest = size
print(count, largest)
