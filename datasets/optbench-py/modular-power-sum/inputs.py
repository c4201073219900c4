import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.tuples(st.integers(-50, 50), st.integers(-2, 40)), max_size=6),
        st.integers(-20, 50),
    )


def workload():
    rng = random.Random(8)
    pairs = [(rng.randint(-10**6, 10**6), rng.randint(40_000, 80_000)) for _ in range(40)]
    return (pairs, 1_000_000_007)


EDGE_CASES = [
    ([], 7),
    ([], 0),
    ([(2, 10)], 1000),
    ([(5, 0)], 3),
    ([(5, 0)], 1),
    ([(-3, 3), (4, 2)], 7),
    ([(3, 4), (2, 5)], -7),
    ([(2, 3), (2, -1)], 5),
]
