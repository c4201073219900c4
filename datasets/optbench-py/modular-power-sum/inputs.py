import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

MODULUS = 1_000_000_007


def _pairs(rng, n, low, high):
    return [(rng.randint(-10**6, 10**6), rng.randint(low, high)) for _ in range(n)]


def _large(rng, scale):
    modulus = MODULUS if rng.random() < 0.5 else rng.randint(2, MODULUS)
    pairs = _pairs(rng, scaled(scale, 40, 1), scaled(scale, 40_000), scaled(scale, 80_000))
    return (pairs, modulus)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.tuples(st.integers(-50, 50), st.integers(-2, 40)), max_size=6),
            st.integers(-20, 50),
        ),
        _large,
    )


def workload(seed=8):
    return (_pairs(random.Random(seed), 40, 40_000, 80_000), MODULUS)


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
