import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-20, 20), max_size=25),
        st.lists(st.integers(-25, 25), max_size=15),
    )


def workload():
    rng = random.Random(22)
    values = [rng.randint(-10**6, 10**6) for _ in range(3000)]
    queries = [rng.randint(-10**6, 10**6) for _ in range(300)]
    return (values, queries)


EDGE_CASES = [
    ([], [3]),
    ([5], [1, 5, 9]),
    ([1, 3], [2]),
    ([1, 4, 4, 10], [4, 6, 7, 100, -100]),
    ([-8, -2, 5], [-5, 0]),
    ([2, 2], []),
]
