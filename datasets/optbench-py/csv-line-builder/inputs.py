import random

from hypothesis import strategies as st


def strategy():
    field = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1000, 1000),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
        st.text(alphabet='ab ,"\n\ré', max_size=8),
    )
    return st.tuples(st.lists(st.lists(field, max_size=5), max_size=6))


def workload():
    rng = random.Random(18)
    words = ["alpha", "beta", "gamma, delta", 'say "hi"', "multi\nline", "café", ""]
    rows = []
    for i in range(1500):
        row = [i, rng.choice(words), rng.random() * 100, None, rng.choice([True, False])]
        row.append(" ".join(rng.choice(words) for _ in range(40)))
        rows.append(row)
    return (rows,)


EDGE_CASES = [
    ([],),
    ([[]],),
    ([[""]],),
    ([["a", "b"], ["c"]],),
    ([[None, 1.5, True]],),
    ([["x,y", 'he said "no"', "two\nlines"]],),
    ([[-3, "", None]],),
]
