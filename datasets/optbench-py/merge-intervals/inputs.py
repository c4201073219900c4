import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


@st.composite
def _interval(draw):
    start = draw(st.integers(-20, 20))
    return [start, start + draw(st.integers(-1, 8))]


def _intervals(rng, n, last=10**6, longest=300):
    intervals = []
    for _ in range(n):
        start = rng.randint(0, last)
        intervals.append([start, start + rng.randint(0, longest)])
    return intervals


def _large(rng, scale):
    # lengths grow with the number of intervals and the line with both: as many
    # overlaps as in the workload at every size
    n, last, longest = scaled(scale, 2000), scaled(scale**2, 10**6), scaled(scale, 300)
    return (_intervals(rng, n, last, longest),)


def strategy():
    return at_scale(st.tuples(st.lists(_interval(), max_size=25)), _large)


def workload(seed=3):
    return (_intervals(random.Random(seed), 2000),)


EDGE_CASES = [
    ([],),
    ([[1, 3]],),
    ([[1, 3], [2, 6], [8, 10], [15, 18]],),
    ([[1, 4], [4, 5]],),
    ([[5, 6], [1, 2]],),
    ([[-3, -1], [-2, 2]],),
    ([[1, 1], [1, 1]],),
    ([[3, 1]],),
    ([(0, 2), (7, 9)],),
]
