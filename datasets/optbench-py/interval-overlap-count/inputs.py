import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


@st.composite
def _interval(draw):
    start = draw(st.integers(-15, 15))
    return (start, start + draw(st.integers(-1, 6)))


def _intervals(rng, n, last=100000, longest=5000):
    intervals = []
    for _ in range(n):
        start = rng.randint(0, last)
        intervals.append((start, start + rng.randint(0, longest)))
    return intervals


def _large(rng, scale):
    # lengths grow with the number of intervals and the line with both: as many
    # overlaps as in the workload at every size
    n, last, longest = scaled(scale, 2000), scaled(scale**2, 100000), scaled(scale, 5000)
    return (_intervals(rng, n, last, longest),)


def strategy():
    return at_scale(st.tuples(st.lists(_interval(), max_size=30)), _large)


def workload(seed=4):
    return (_intervals(random.Random(seed), 2000),)


EDGE_CASES = [
    ([],),
    ([(1, 2)],),
    ([(1, 5), (2, 6), (3, 4)],),
    ([(1, 2), (2, 3)],),
    ([(1, 2), (3, 4)],),
    ([(-5, -1), (-3, 0), (-1, 2)],),
    ([(4, 4), (4, 4)],),
    ([(0, 1), (2, 1)],),
]
