import random

from hypothesis import strategies as st


@st.composite
def _interval(draw):
    start = draw(st.integers(-20, 20))
    return [start, start + draw(st.integers(-1, 8))]


def strategy():
    return st.tuples(st.lists(_interval(), max_size=25))


def workload():
    rng = random.Random(3)
    intervals = []
    for _ in range(2000):
        start = rng.randint(0, 10**6)
        intervals.append([start, start + rng.randint(0, 300)])
    return (intervals,)


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
