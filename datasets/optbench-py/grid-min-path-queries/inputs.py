import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(grid, queries):
    lines = [f"{len(grid)} {len(grid[0])} {len(queries)}"]
    lines += [" ".join(map(str, row)) for row in grid]
    lines += [f"{r} {c}" for r, c in queries]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    h = draw(st.integers(1, 6))
    w = draw(st.integers(1, 6))
    cell = st.integers(-9, 9)
    grid = [[draw(cell) for _ in range(w)] for _ in range(h)]
    queries = draw(st.lists(st.tuples(st.integers(1, h), st.integers(1, w)), max_size=8))
    return _render(grid, queries)


def _grid(rng, h, w, q):
    grid = [[rng.randint(-9, 9) for _ in range(w)] for _ in range(h)]
    queries = [(rng.randint(1, h), rng.randint(1, w)) for _ in range(q)]
    return _render(grid, queries)


def _large(rng, scale):
    # the grid's area is the scale's share of the workload's, in a random aspect
    tall = rng.random()
    h, w = scaled(scale**tall, 80, 1), scaled(scale ** (1 - tall), 80, 1)
    return _grid(rng, h, w, scaled(scale, 170))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=121):
    return _grid(random.Random(seed), 80, 80, 170)


EDGE_CASES = [
    "1 1 1\n7\n1 1\n",
    "1 1 0\n-3\n",
    "2 2 3\n1 2\n3 4\n1 2\n2 1\n2 2\n",
    "3 3 2\n-1 -2 -3\n-4 -5 -6\n-7 -8 -9\n3 3\n1 3\n",
    "1 4 2\n1 -1 1 -1\n1 4\n1 3\n",
]
