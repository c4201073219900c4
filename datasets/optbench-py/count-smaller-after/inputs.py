import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-25, 25), max_size=40))


def workload():
    rng = random.Random(6)
    return ([rng.randint(-10**5, 10**5) for _ in range(3000)],)


EDGE_CASES = [
    ([],),
    ([4],),
    ([3, 3],),
    ([5, 2, 6, 1],),
    ([1, 2, 3],),
    ([-1, -2, -1, -3],),
]
