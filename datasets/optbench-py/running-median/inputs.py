import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-30, 30), max_size=40))


def workload():
    rng = random.Random(15)
    return ([rng.randint(-10**6, 10**6) for _ in range(6000)],)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2],),
    ([2, 2, 2],),
    ([5, 15, 1, 3],),
    ([-3, -1, -2, -4],),
    ([1, 2, 3, 4, 5],),
]
