import random

from hypothesis import strategies as st


@st.composite
def _interval(draw):
    start = draw(st.integers(-15, 15))
    return (start, start + draw(st.integers(-1, 6)))


def strategy():
    return st.tuples(st.lists(_interval(), max_size=30))


def workload():
    rng = random.Random(4)
    intervals = []
    for _ in range(2000):
        start = rng.randint(0, 100000)
        intervals.append((start, start + rng.randint(0, 5000)))
    return (intervals,)


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
