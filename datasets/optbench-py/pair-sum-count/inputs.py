import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-20, 20), max_size=40),
        st.integers(-40, 40),
    )


def workload():
    rng = random.Random(1)
    return ([rng.randint(-500, 500) for _ in range(2500)], 17)


EDGE_CASES = [
    ([], 0),
    ([5], 10),
    ([5, 5], 10),
    ([5, 5, 5], 10),
    ([-3, 3, 0, 0], 0),
]
