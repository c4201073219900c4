import random

from hypothesis import strategies as st


def _render(queries):
    return "\n".join([str(len(queries))] + [f"{a} {b}" for a, b in queries]) + "\n"


@st.composite
def _case(draw):
    bound = draw(st.sampled_from([10, 60, 400]))
    pairs = draw(st.lists(st.tuples(st.integers(1, bound), st.integers(1, bound)), max_size=12))
    return _render([(min(a, b), max(a, b)) for a, b in pairs])


def strategy():
    return _case()


def workload():
    rng = random.Random(31)
    queries = []
    for _ in range(600):
        a = rng.randint(1, 100000)
        queries.append((a, min(100000, a + rng.randint(0, 300))))
    return _render(queries)


EDGE_CASES = [
    "0\n",
    "1\n1 1\n",
    "3\n1 10\n4 4\n8 30\n",
    "1\n100000 100000\n",
    "2\n1 100000\n99990 100000\n",
]
