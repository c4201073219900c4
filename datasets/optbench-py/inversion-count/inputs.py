import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-30, 30), max_size=40))


def workload():
    rng = random.Random(11)
    return ([rng.randint(-10**6, 10**6) for _ in range(2500)],)


EDGE_CASES = [
    ([],),
    ([1],),
    ([2, 1],),
    ([1, 1],),
    ([1, 2, 3],),
    ([5, 4, 3, 2, 1],),
    ([3, -1, 2, -5, 2],),
]
