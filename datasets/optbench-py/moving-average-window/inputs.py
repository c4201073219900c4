import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _fmt(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _render(values, k):
    return f"{len(values)} {k}\n" + " ".join(values) + "\n"


@st.composite
def _case(draw):
    cents = draw(
        st.lists(st.integers(-100000, 100000) | st.integers(-300, 300), min_size=1, max_size=25)
    )
    values = [_fmt(c) if c % 3 else str(c // 100) for c in cents]
    k = draw(st.integers(1, len(values)))
    return _render(values, k)


def _values(rng, n):
    return [_fmt(rng.randint(-100000, 100000)) for _ in range(n)]


def _large(rng, scale):
    n = scaled(scale, 40000, 1)
    # windows up to twice the workload's: at most twice its work per value
    k = rng.randint(1, min(n, 8))
    return _render(_values(rng, n), k)


def strategy():
    return at_scale(_case(), _large)


def workload(seed=151):
    # about 100 ms of the slow version; a drawn input has at most 40000 values
    return _render(_values(random.Random(seed), 110_000), 4)


EDGE_CASES = [
    "1 1\n5\n",
    "3 3\n1.5 -2.25 0.75\n",
    "4 1\n-1000.00 1000.00 0.01 -0.01\n",
    "5 2\n0.1 0.2 0.3 0.4 0.5\n",
    "3 2\n-0.01 0 0.01\n",
]
