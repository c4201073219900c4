import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(a, queries):
    lines = [f"{len(a)} {len(queries)}", " ".join(map(str, a))]
    lines += [f"{l} {r}" for l, r in queries]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    a = draw(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=30))
    n = len(a)
    pairs = draw(st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=20))
    return _render(a, [(min(x, y), max(x, y)) for x, y in pairs])


def _queries(rng, n, q):
    a = [rng.randint(-1000, 1000) for _ in range(n)]
    queries = []
    for _ in range(q):
        l = rng.randint(1, n)
        queries.append((l, rng.randint(l, n)))
    return _render(a, queries)


def _large(rng, scale):
    return _queries(rng, scaled(scale, 3000, 1), scaled(scale, 1500))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=7):
    return _queries(random.Random(seed), 3000, 1500)


EDGE_CASES = [
    "1 1\n5\n1 1\n",
    "3 0\n1 2 3\n",
    "3 3\n-1 -2 -3\n1 3\n2 2\n3 3\n",
]
