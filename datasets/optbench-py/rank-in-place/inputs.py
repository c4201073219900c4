import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-15, 15), max_size=40))


def workload():
    rng = random.Random(18)
    return ([rng.randint(-4000, 4000) for _ in range(5000)],)


EDGE_CASES = [
    ([],),
    ([7],),
    ([0, 1, 2],),
    ([40, 10, 20],),
    ([3, 1, 3],),
    ([-5, -5, -5],),
    ([-2, 9, -7, 0],),
]
