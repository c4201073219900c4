import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

PAIRS = ["()", "[]", "{}"]


def _balanced(rng_choice, size):
    # build a balanced string by nesting / concatenating pairs
    s = ""
    for _ in range(size):
        o, c = rng_choice(PAIRS)
        s = o + s + c if rng_choice([True, False]) else s + o + c
    return s


@st.composite
def _line(draw):
    if draw(st.booleans()):
        s = _balanced(lambda xs: draw(st.sampled_from(xs)), draw(st.integers(1, 6)))
        if draw(st.booleans()):
            # one small corruption: drop, swap or change a character
            i = draw(st.integers(0, len(s) - 1))
            how = draw(st.integers(0, 2))
            if how == 0 and len(s) > 1:
                s = s[:i] + s[i + 1 :]
            elif how == 1:
                s = s[:i] + draw(st.sampled_from("()[]{}")) + s[i + 1 :]
            else:
                s = s[::-1]
        return s
    return draw(st.text(alphabet="()[]{}", min_size=1, max_size=10))


def _render(lines):
    return "\n".join([str(len(lines))] + lines) + "\n"


@st.composite
def _case(draw):
    return _render(draw(st.lists(_line(), max_size=8)))


def _lines(rng, deep, low, high, short):
    lines = []
    for k in range(deep):
        depth = rng.randint(low, high)
        opens = [rng.choice("([{") for _ in range(depth)]
        close = {"(": ")", "[": "]", "{": "}"}
        s = "".join(opens) + "".join(close[o] for o in reversed(opens))
        if k % 3 == 0:
            i = rng.randrange(len(s))
            s = s[:i] + rng.choice("()[]{}") + s[i + 1 :]
        lines.append(s)
    for _ in range(short):
        lines.append("".join(rng.choice("()[]{}") for _ in range(rng.randint(1, 40))))
    return _render(lines)


def _large(rng, scale):
    return _lines(
        rng, scaled(scale, 60), scaled(scale, 600, 1), scaled(scale, 1200, 1), scaled(scale, 500)
    )


def strategy():
    return at_scale(_case(), _large)


def workload(seed=131):
    return _lines(random.Random(seed), 60, 600, 1200, 500)


EDGE_CASES = [
    "0\n",
    "1\n()\n",
    "1\n(\n",
    "1\n)(\n",
    "4\n([]{})\n([)]\n((\n}\n",
    "2\n{[()()]}\n[[[]]]]\n",
]
