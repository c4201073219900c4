import random

from hypothesis import strategies as st


def strategy():
    record = st.tuples(st.text(alphabet="abc", max_size=3), st.integers(-5, 5)).map(list)
    return st.tuples(st.lists(record, max_size=30))


def workload():
    rng = random.Random(19)
    return ([[f"player{i}", rng.randint(0, 500)] for i in range(2400)],)


EDGE_CASES = [
    ([],),
    ([["ann", 3]],),
    ([["ann", 1], ["bob", 5]],),
    ([["bob", 3], ["amy", 3]],),
    ([["a", 9], ["b", 7], ["c", 4]],),
    ([["x", -2], ["y", 0], ["z", -5]],),
]
