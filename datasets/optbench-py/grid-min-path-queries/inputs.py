import random

from hypothesis import strategies as st


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


def strategy():
    return _case()


def workload():
    rng = random.Random(121)
    h, w = 80, 80
    grid = [[rng.randint(-9, 9) for _ in range(w)] for _ in range(h)]
    queries = [(rng.randint(1, h), rng.randint(1, w)) for _ in range(170)]
    return _render(grid, queries)


EDGE_CASES = [
    "1 1 1\n7\n1 1\n",
    "1 1 0\n-3\n",
    "2 2 3\n1 2\n3 4\n1 2\n2 1\n2 2\n",
    "3 3 2\n-1 -2 -3\n-4 -5 -6\n-7 -8 -9\n3 3\n1 3\n",
    "1 4 2\n1 -1 1 -1\n1 4\n1 3\n",
]
