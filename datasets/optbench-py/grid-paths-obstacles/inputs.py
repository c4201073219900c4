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


DRAWN_CALLS = 600_000
"""The most calls a drawn input makes (about 35 ms: verification runs the slow version
on every drawn input)."""


def _large(rng, scale):
    # up to the workload's 12 x 12, in a random aspect, never costlier than DRAWN_CALLS:
    # obstacles are added until it is not
    tall = rng.random()
    rows, cols = scaled(scale**tall, SIZE, 1), scaled(scale ** (1 - tall), SIZE, 1)
    grid = _random_grid(rng, rows, cols)
    while _calls(grid) > DRAWN_CALLS:
        grid[rng.randrange(rows)][rng.randrange(cols)] = "#"
    return (["".join(line) for line in grid],)


def strategy():
    return at_scale(st.tuples(_grid()), _large)


WORKLOAD_CALLS = (1_300_000, 1_900_000)
"""The slow version's recursive calls on the workload (80 to 115 ms): walls are taken
away from, or added to, the randomly walled grid one at a time (a move that would jump
past this range is undone) until its calls fall in it, so every seed costs about the
same (a 12 x 12 grid with 8% walls makes 0.3 to 1.7 million calls, by seed). A grid
that MOVES tries do not bring into the range is drawn again."""
MOVES = 2_000


def workload(seed=5):
    rng = random.Random(seed)
    low, high = WORKLOAD_CALLS
    calls, moves = 0, MOVES
    while not low <= calls <= high:
        if moves == MOVES:
            grid = _random_grid(rng, SIZE, SIZE)
            calls, moves = _calls(grid), 0
            continue
        moves += 1
        r, c = rng.randrange(SIZE), rng.randrange(SIZE)
        wall = grid[r][c] == "#"
        if wall != (calls < low) or (r, c) in ((0, 0), (SIZE - 1, SIZE - 1)):
            continue  # too few calls: take a wall away; too many: add one
        grid[r][c] = "." if wall else "#"
        now = _calls(grid)
        if now > high if wall else now < low:
            grid[r][c] = "#" if wall else "."
        else:
            calls = now
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
