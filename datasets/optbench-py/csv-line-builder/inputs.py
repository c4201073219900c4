import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _rows(rng, n, n_words=40):
    words = ["alpha", "beta", "gamma, delta", 'say "hi"', "multi\nline", "café", ""]
    rows = []
    for i in range(n):
        row = [i, rng.choice(words), rng.random() * 100, None, rng.choice([True, False])]
        row.append(" ".join(rng.choice(words) for _ in range(n_words)))
        rows.append(row)
    return rows


def _large(rng, scale):
    return (_rows(rng, scaled(scale, 1500), scaled(scale, 40)),)


def strategy():
    field = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1000, 1000),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
        st.text(alphabet='ab ,"\n\ré', max_size=8),
        # one character that needs quoting at a time
        st.text(alphabet="ab\r", min_size=1, max_size=3),
        st.text(alphabet='ab"', min_size=1, max_size=3),
    )
    return at_scale(st.tuples(st.lists(st.lists(field, max_size=5), max_size=6)), _large)


def workload(seed=18):
    # about 100 ms of the slow version; a drawn input has at most a fifth of its rows
    return (_rows(random.Random(seed), 7500),)


EDGE_CASES = [
    ([],),
    ([[]],),
    ([[""]],),
    ([["a", "b"], ["c"]],),
    ([[None, 1.5, True]],),
    ([["x,y", 'he said "no"', "two\nlines"]],),
    ([[-3, "", None]],),
]
