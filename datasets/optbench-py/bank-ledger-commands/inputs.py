import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

POOL = ["ann", "bob", "cy", "dee", "eve", "fay"]


def _render(accounts, ops):
    lines = [f"{len(accounts)} {len(ops)}"]
    lines += [f"{name} {bal}" for name, bal in accounts]
    lines += ops
    return "\n".join(lines) + "\n"


@st.composite
def _case(draw):
    n = draw(st.integers(1, 4))
    names = POOL[:n]
    accounts = [(name, draw(st.integers(0, 20) | st.integers(0, 1000))) for name in names]
    # mostly known names, now and then one that is not an account
    known = st.sampled_from(names)
    unknown = st.sampled_from(POOL[n:])
    any_name = st.integers(0, 24).flatmap(lambda i: unknown if i == 0 else known)
    amount = st.integers(0, 25) | st.integers(0, 600)
    op = st.one_of(
        st.builds(lambda a, x: f"deposit {a} {x}", any_name, amount),
        st.builds(lambda a, x: f"withdraw {a} {x}", any_name, amount),
        st.builds(lambda a, b, x: f"transfer {a} {b} {x}", any_name, any_name, amount),
        st.builds(lambda a: f"balance {a}", any_name),
    )
    return _render(accounts, draw(st.lists(op, max_size=15)))


def _ledger(rng, n_accounts, n_ops):
    letters = "abcdefghijklmnopqrstuvwxyz"
    names = []
    seen = set()
    while len(names) < n_accounts:
        name = "".join(rng.choice(letters) for _ in range(6))
        if name not in seen:
            seen.add(name)
            names.append(name)
    accounts = [(name, rng.randint(0, 1000)) for name in names]
    ops = []
    for _ in range(n_ops):
        kind = rng.randint(0, 3)
        a = rng.choice(names)
        x = rng.randint(0, 600)
        if kind == 0:
            ops.append(f"deposit {a} {x}")
        elif kind == 1:
            ops.append(f"withdraw {a} {x}")
        elif kind == 2:
            ops.append(f"transfer {a} {rng.choice(names)} {x}")
        else:
            ops.append(f"balance {a}")
    return _render(accounts, ops)


def _large(rng, scale):
    return _ledger(rng, scaled(scale, 25, 1), scaled(scale, 40000))


def strategy():
    return at_scale(_case(), _large)


def workload(seed=41):
    return _ledger(random.Random(seed), 25, 40000)


EDGE_CASES = [
    "1 0\nann 0\n",
    "1 1\nann 10\nbalance ann\n",
    "1 2\nann 5\nwithdraw bob 3\nbalance ann\n",
    "2 6\nann 10\nbob 0\nwithdraw ann 11\ntransfer ann bob 4\nbalance bob\n"
    "transfer bob bob 100\nbalance ann\ndeposit bob 7\n",
    "2 3\nann 3\nbob 4\ntransfer bob ann 1\ntransfer ann ann 2\nbalance ann\n",
]
