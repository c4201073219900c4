"""Reaching the target is tested before the wall check, so a blocked end cell still counts."""
from functools import lru_cache


def count_paths(grid):
    if not grid or not grid[0]:
        return 0
    rows, cols = len(grid), len(grid[0])

    @lru_cache(maxsize=None)
    def walk(r, c):
        if r >= rows or c >= cols:
            return 0
        if r == rows - 1 and c == cols - 1:
            return 1
        if grid[r][c] == "#":
            return 0
        return walk(r + 1, c) + walk(r, c + 1)

    return walk(0, 0)
