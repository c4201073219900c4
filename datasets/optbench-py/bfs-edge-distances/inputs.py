import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(n, s, edges):
    lines = [f"{n} {len(edges)} {s}"] + [f"{u} {v}" for u, v in edges]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    n = draw(st.integers(1, 10))
    vertex = st.integers(1, n)
    edges = draw(st.lists(st.tuples(vertex, vertex), max_size=14))
    return _render(n, draw(vertex), edges)


def _edges(rng, m, high):
    edges = []
    for _ in range(m):
        u = rng.randint(1, high)
        edges.append((u, rng.randint(1, high)))
    return edges


def _large(rng, scale):
    # like the workload: the last vertices have no edge
    n = scaled(scale, 900, 1)
    source = rng.randint(1, n)
    return _render(n, source, _edges(rng, scaled(scale, 1800), max(1, n * 17 // 18)))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=101):
    return _render(900, 1, _edges(random.Random(seed), 1800, 850))


EDGE_CASES = [
    "1 0 1\n",
    "3 1 1\n1 2\n",
    "4 3 1\n1 2\n2 3\n1 4\n",
    "2 1 2\n2 2\n",
    "3 3 1\n1 2\n1 2\n2 3\n",
]
