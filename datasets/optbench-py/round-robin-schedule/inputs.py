import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _tasks(rng, n):
    return [(f"job{i}", rng.randint(0, 20)) for i in range(n)]


def _large(rng, scale):
    # quanta from half the workload's: at most about twice its rounds
    quantum = rng.randint(5, 20)
    return (_tasks(rng, scaled(scale, 18000)), quantum)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(
                st.tuples(st.text(alphabet="abc", max_size=2), st.integers(-1, 20)), max_size=20
            ),
            st.integers(-1, 6),
        ),
        _large,
    )


def workload(seed=12):
    # about 100 ms of the slow version; a drawn input has at most half its tasks
    return (_tasks(random.Random(seed), 36000), 10)


EDGE_CASES = [
    ([], 3),
    ([("a", 5)], 2),
    ([("a", 0), ("b", 1)], 1),
    ([("a", 3), ("b", 7), ("c", 2)], 3),
    ([("a", 4), ("a", 4)], 4),
    ([("a", 3)], 0),
    ([("a", 2), ("b", -1)], 2),
]
