import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-2, 400), max_size=10))


def workload():
    rng = random.Random(4)
    return ([rng.randint(1, 20_000) for _ in range(400)],)


EDGE_CASES = [
    ([],),
    ([1],),
    ([2, 3, 5],),
    ([6, 28, 496],),
    ([12, 12, 18],),
    ([10, -3, 6],),
]
