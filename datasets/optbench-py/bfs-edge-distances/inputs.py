import random

from hypothesis import strategies as st


def _render(n, s, edges):
    lines = [f"{n} {len(edges)} {s}"] + [f"{u} {v}" for u, v in edges]
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    n = draw(st.integers(1, 10))
    vertex = st.integers(1, n)
    edges = draw(st.lists(st.tuples(vertex, vertex), max_size=14))
    return _render(n, draw(vertex), edges)


def strategy():
    return _case()


def workload():
    rng = random.Random(101)
    n = 900
    edges = []
    for _ in range(1800):
        u = rng.randint(1, 850)
        edges.append((u, rng.randint(1, 850)))
    return _render(n, 1, edges)


EDGE_CASES = [
    "1 0 1\n",
    "3 1 1\n1 2\n",
    "4 3 1\n1 2\n2 3\n1 4\n",
    "2 1 2\n2 2\n",
    "3 3 1\n1 2\n1 2\n2 3\n",
]
