import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(rows):
    return "\n".join([str(len(rows))] + [f"{name} {score}" for name, score in rows]) + "\n"


@st.composite
def _case(draw):
    name = st.text(alphabet="abcde", min_size=1, max_size=4)
    score = st.integers(0, 100) | st.sampled_from([0, 50, 100])
    return _render(draw(st.lists(st.tuples(name, score), max_size=25)))


def _rows(rng, n):
    letters = "abcdefghijklmnopqrstuvwxyz"
    rows = []
    for _ in range(n):
        name = "".join(rng.choice(letters) for _ in range(rng.randint(3, 8)))
        rows.append((name, rng.randint(0, 100)))
    return rows


def _large(rng, scale):
    return _render(_rows(rng, scaled(scale, 1100)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=21):
    return _render(_rows(random.Random(seed), 1100))


EDGE_CASES = [
    "0\n",
    "1\nzed 0\n",
    "3\namy 100\nbea 50\ncal 50\n",
    "3\ncal 10\nbob 20\nann 30\n",
    "2\nbob 5\namy 5\n",
    "3\nann 7\nann 7\nann 100\n",
]
