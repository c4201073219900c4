import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

N, LOW, HIGH = 2500, -500, 500


def _numbers(rng, n, low, high):
    return [rng.randint(low, high) for _ in range(n)]


def _large(rng, scale):
    # values spread in proportion to the size: pairs as common as in the workload
    span = scaled(scale, HIGH, 1)
    target = rng.randint(-span, span)
    return (_numbers(rng, scaled(scale, N), -span, span), target)


def strategy():
    value = st.integers(-20, 20) | st.integers(LOW, HIGH)
    small = st.tuples(
        st.lists(value, max_size=40),
        st.integers(-40, 40) | st.integers(2 * LOW, 2 * HIGH),
    )
    return at_scale(small, _large)


def workload():
    return (_numbers(random.Random(1), N, LOW, HIGH), 17)


EDGE_CASES = [
    ([], 0),
    ([5], 10),
    ([5, 5], 10),
    ([5, 5, 5], 10),
    ([-3, 3, 0, 0], 0),
]
