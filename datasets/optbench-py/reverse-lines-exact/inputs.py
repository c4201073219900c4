import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _render(lines, final_newline=True):
    return "\n".join([str(len(lines))] + lines) + ("\n" if final_newline else "")


@st.composite
def _case(draw):
    line = st.text(alphabet="ab Z", max_size=8)
    lines = draw(st.lists(line, max_size=10))
    # the last line may lack its newline only when it is not empty
    return _render(lines, draw(st.booleans()) or not lines or not lines[-1])


def _lines(rng, n):
    alphabet = "abcdefghijklmnopqrstuvwxyz     ABCDE"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def _large(rng, scale):
    final_newline = rng.random() < 0.75
    lines = _lines(rng, scaled(scale, 45000))
    return _render(lines, final_newline or not lines or not lines[-1])


def strategy():
    return at_scale(_case(), _large)


def workload(seed=111):
    return _render(_lines(random.Random(seed), 45000))


EDGE_CASES = [
    "0\n",
    "1\n\n",
    "1\na\n",
    "2\nab  cd\nHello World",
    "3\n\nxy\n\n",
]
