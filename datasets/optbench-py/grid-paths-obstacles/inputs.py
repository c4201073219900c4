import random

from hypothesis import strategies as st


@st.composite
def _grid(draw):
    rows = draw(st.integers(0, 6))
    cols = draw(st.integers(0, 6))
    cell = st.sampled_from("....#")
    return [
        "".join(draw(st.lists(cell, min_size=cols, max_size=cols))) for _ in range(rows)
    ]


def strategy():
    return st.tuples(_grid())


def workload():
    rng = random.Random(5)
    size = 12
    grid = []
    for r in range(size):
        line = ["#" if rng.random() < 0.08 else "." for _ in range(size)]
        grid.append(line)
    grid[0][0] = "."
    grid[-1][-1] = "."
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
