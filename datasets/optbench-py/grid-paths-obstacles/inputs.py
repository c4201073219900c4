import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

SIZE = 12


@st.composite
def _grid(draw):
    rows = draw(st.integers(0, 6))
    cols = draw(st.integers(0, 6))
    cell = st.sampled_from("....#")
    return [
        "".join(draw(st.lists(cell, min_size=cols, max_size=cols))) for _ in range(rows)
    ]


def _calls(grid):
    """Calls the slow version's recursion makes on ``grid`` (its running time)."""
    rows, cols = len(grid), len(grid[0])
    calls = [[1] * (cols + 1) for _ in range(rows + 1)]  # off the grid: returns at once
    for r in range(rows - 1, -1, -1):
        for c in range(cols - 1, -1, -1):
            if grid[r][c] != "#" and (r, c) != (rows - 1, cols - 1):
                calls[r][c] = 1 + calls[r + 1][c] + calls[r][c + 1]
    return calls[0][0]


def _random_grid(rng, rows, cols):
    grid = []
    for r in range(rows):
        line = ["#" if rng.random() < 0.08 else "." for _ in range(cols)]
        grid.append(line)
    grid[0][0] = "."
    grid[-1][-1] = "."
    return grid


def _large(rng, scale):
    # up to the workload's 12 x 12, in a random aspect, never costlier than the
    # workload: obstacles are added until it is not
    tall = rng.random()
    rows, cols = scaled(scale**tall, SIZE, 1), scaled(scale ** (1 - tall), SIZE, 1)
    grid = _random_grid(rng, rows, cols)
    limit = _calls(workload()[0])
    while _calls(grid) > limit:
        grid[rng.randrange(rows)][rng.randrange(cols)] = "#"
    return (["".join(line) for line in grid],)


def strategy():
    return at_scale(st.tuples(_grid()), _large)


def workload(seed=5):
    grid = _random_grid(random.Random(seed), SIZE, SIZE)
    return (["".join(line) for line in grid],)


EDGE_CASES = [
    ([],),
    ([""],),
    (["."],),
    (["#."],),
    (["...", "...", "..."],),
    (["#..", "...", "..."],),
    ([".#.", "...", "#.."],),
    (["....."],),
    ([".", ".", "#", "."],),
]
