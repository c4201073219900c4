import random

from hypothesis import strategies as st


def _render(lines, final_newline=True):
    return "\n".join([str(len(lines))] + lines) + ("\n" if final_newline else "")


@st.composite
def _case(draw):
    line = st.text(alphabet="ab Z", max_size=8)
    lines = draw(st.lists(line, max_size=10))
    # the last line may lack its newline only when it is not empty
    return _render(lines, draw(st.booleans()) or not lines or not lines[-1])


def strategy():
    return _case()


def workload():
    rng = random.Random(111)
    alphabet = "abcdefghijklmnopqrstuvwxyz     ABCDE"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(45000)]
    return _render(lines)


EDGE_CASES = [
    "0\n",
    "1\n\n",
    "1\na\n",
    "2\nab  cd\nHello World",
    "3\n\nxy\n\n",
]
