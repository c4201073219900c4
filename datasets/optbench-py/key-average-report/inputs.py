import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(rows):
    return "\n".join([str(len(rows))] + [f"{k} {v}" for k, v in rows]) + "\n"


@st.composite
def _case(draw):
    key = st.text(alphabet="abc", min_size=1, max_size=2)
    value = st.integers(-1000, 1000) | st.integers(-3, 3)
    rows = draw(st.lists(st.tuples(key, value), max_size=25))
    if draw(st.booleans()):
        # a key whose average is a tiny negative number: "%.2f" prints it as -0.00
        # (above 200 rows) or -0.01 (up to 200)
        rows += [("z", -1)] + [("z", 0)] * draw(st.integers(150, 300))
    return _render(rows)


def _rows(rng, n_keys, n_rows):
    letters = "abcdefghijklmnopqrstuvwxyz"
    keys = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 6))) for _ in range(n_keys)]
    return [(rng.choice(keys), rng.randint(-1000, 1000)) for _ in range(n_rows)]


def _large(rng, scale):
    return _render(_rows(rng, scaled(scale, 25, 1), scaled(scale, 50000)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=91):
    return _render(_rows(random.Random(seed), 25, 50000))


EDGE_CASES = [
    "0\n",
    "1\na 5\n",
    "3\nb -2\na 4\nb -4\n",
    "2\nx 1\nx 2\n",
    "4\nab 1000\nab -1000\nb -1000\na 0\n",
]
