import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(st.lists(st.integers(-100, 100), max_size=40))


def workload():
    rng = random.Random(14)
    price = 10_000
    prices = []
    for _ in range(4000):
        price += rng.randint(-50, 50)
        prices.append(price)
    return (prices,)


EDGE_CASES = [
    ([],),
    ([5],),
    ([1, 2, 3],),
    ([3, 2, 1],),
    ([3, 1, 4, 1, 5, 9, 2, 6],),
    ([5, 5, 5],),
]
