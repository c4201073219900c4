import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(0, 30), max_size=30),
        st.lists(st.integers(-5, 35), max_size=15),
        st.integers(-1, 10),
    )


def workload():
    rng = random.Random(24)
    hits = sorted(rng.randrange(86400) for _ in range(5000))
    queries = [rng.randrange(86400) for _ in range(700)]
    return (hits, queries, 300)


EDGE_CASES = [
    ([], [5], 10),
    ([1, 2, 3], [], 5),
    ([1, 2, 3], [3], 1),
    ([1, 2, 3], [3], 0),
    ([10, 10, 20], [10, 19, 20, 30], 10),
    ([5, 6, 7], [0], 3),
]
