import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.tuples(st.text(alphabet="abc", max_size=2), st.integers(-1, 20)), max_size=20),
        st.integers(-1, 6),
    )


def workload():
    rng = random.Random(12)
    tasks = [(f"job{i}", rng.randint(0, 20)) for i in range(18000)]
    return (tasks, 10)


EDGE_CASES = [
    ([], 3),
    ([("a", 5)], 2),
    ([("a", 0), ("b", 1)], 1),
    ([("a", 3), ("b", 7), ("c", 2)], 3),
    ([("a", 4), ("a", 4)], 4),
    ([("a", 3)], 0),
    ([("a", 2), ("b", -1)], 2),
]
