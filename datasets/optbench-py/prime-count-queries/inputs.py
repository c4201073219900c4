import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

LIMIT = 100000


def _render(queries):
    return "\n".join([str(len(queries))] + [f"{a} {b}" for a, b in queries]) + "\n"


@st.composite
def _case(draw):
    bound = draw(st.sampled_from([10, 60, 400]))
    pairs = draw(st.lists(st.tuples(st.integers(1, bound), st.integers(1, bound)), max_size=12))
    return _render([(min(a, b), max(a, b)) for a, b in pairs])


def _queries(rng, n, limit=LIMIT, widest=300):
    queries = []
    for _ in range(n):
        a = rng.randint(1, limit)
        queries.append((a, min(limit, a + rng.randint(0, widest))))
    return queries


def _large(rng, scale):
    n, limit, widest = scaled(scale, 600), scaled(scale, LIMIT, 1), scaled(scale, 300)
    return _render(_queries(rng, n, limit, widest))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=31):
    return _render(_queries(random.Random(seed), 600))


EDGE_CASES = [
    "0\n",
    "1\n1 1\n",
    "3\n1 10\n4 4\n8 30\n",
    "1\n100000 100000\n",
    "2\n1 100000\n99990 100000\n",
]
