import random

from hypothesis import strategies as st


def _render(a):
    return f"{len(a)}\n{' '.join(map(str, a))}\n"


@st.composite
def _case(draw):
    value = st.integers(-(10**6), 10**6) | st.integers(-5, 5)
    return _render(draw(st.lists(value, min_size=1, max_size=30)))


def strategy():
    return _case()


def workload():
    rng = random.Random(141)
    return _render([rng.randint(-(10**6), 10**6) for _ in range(2200)])


EDGE_CASES = [
    "1\n5\n",
    "2\n1 3\n",
    "4\n-4 2 2 6\n",
    "3\n1000000 -1000000 1000000\n",
    "5\n7 7 7 7 7\n",
]
