import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _records(rng, n, top=500):
    return [[f"player{i}", rng.randint(0, top)] for i in range(n)]


def _large(rng, scale):
    # scores spread in proportion to the size: ties as likely at every size
    return (_records(rng, scaled(scale, 2400), scaled(scale, 500)),)


def strategy():
    score = st.integers(-5, 5) | st.integers(0, 500)
    record = st.tuples(st.text(alphabet="abc", max_size=3), score).map(list)
    return at_scale(st.tuples(st.lists(record, max_size=30)), _large)


def workload(seed=19):
    return (_records(random.Random(seed), 2400),)


EDGE_CASES = [
    ([],),
    ([["ann", 3]],),
    ([["ann", 1], ["bob", 5]],),
    ([["bob", 3], ["amy", 3]],),
    ([["a", 9], ["b", 7], ["c", 4]],),
    ([["x", -2], ["y", 0], ["z", -5]],),
]
