import random

from hypothesis import strategies as st


def _render(intervals):
    return "\n".join([str(len(intervals))] + [f"{s} {e}" for s, e in intervals]) + "\n"


@st.composite
def _case(draw):
    starts = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 8)), max_size=15))
    return _render([(s, s + d) for s, d in starts])


def strategy():
    return _case()


def workload():
    rng = random.Random(71)
    intervals = []
    for _ in range(1400):
        s = rng.randint(0, 10**9 - 10**6)
        intervals.append((s, s + rng.randint(1, 10**6)))
    return _render(intervals)


EDGE_CASES = [
    "0\n",
    "1\n0 1\n",
    "3\n1 5\n2 3\n6 8\n",
    "2\n0 10\n0 10\n",
    "3\n0 1000000000\n5 7\n999999990 1000000000\n",
]
