import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-10, 10), max_size=30),
        st.lists(st.tuples(st.integers(-12, 12), st.integers(-12, 12)), max_size=15),
    )


def workload():
    rng = random.Random(21)
    values = [rng.randint(-10**5, 10**5) for _ in range(6000)]
    queries = []
    for _ in range(800):
        lo = rng.randint(-10**5, 10**5)
        queries.append((lo, lo + rng.randint(0, 20000)))
    return (values, queries)


EDGE_CASES = [
    ([], [(0, 5)]),
    ([1, 2, 3], []),
    ([1, 2, 3], [(1, 3), (2, 2), (4, 9)]),
    ([5, 5, 5], [(5, 5), (0, 4)]),
    ([-4, -1, 0, 3], [(-3, 0), (-10, 10)]),
]
