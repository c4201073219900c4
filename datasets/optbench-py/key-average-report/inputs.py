import random

from hypothesis import strategies as st


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


def strategy():
    return _case()


def workload():
    rng = random.Random(91)
    letters = "abcdefghijklmnopqrstuvwxyz"
    keys = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 6))) for _ in range(25)]
    rows = [(rng.choice(keys), rng.randint(-1000, 1000)) for _ in range(50000)]
    return _render(rows)


EDGE_CASES = [
    "0\n",
    "1\na 5\n",
    "3\nb -2\na 4\nb -4\n",
    "2\nx 1\nx 2\n",
    "4\nab 1000\nab -1000\nb -1000\na 0\n",
]
