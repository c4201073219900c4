def count_paths(grid):
    if not grid or not grid[0]:
        return 0
    cols = len(grid[0])
    ways = [0] * cols
    ways[0] = 1
    for line in grid:
        left = 0
        for c in range(cols):
            if line[c] == "#":
                left = 0
            else:
                left += ways[c]
            ways[c] = left
    return ways[-1]
