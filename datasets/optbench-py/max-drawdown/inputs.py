import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _prices(rng, n):
    price = 10_000
    prices = []
    for _ in range(n):
        price += rng.randint(-50, 50)
        prices.append(price)
    return prices


def _large(rng, scale):
    return (_prices(rng, scaled(scale, 4000)),)


def strategy():
    return at_scale(st.tuples(st.lists(st.integers(-100, 100), max_size=40)), _large)


def workload(seed=14):
    return (_prices(random.Random(seed), 4000),)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2, 3],),
    ([3, 2, 1],),
    ([3, 1, 4, 1, 5, 9, 2, 6],),
    ([5, 5, 5],),
]
