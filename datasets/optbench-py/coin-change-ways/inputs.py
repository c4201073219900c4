from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled

WORKLOAD = ([1, 2, 5, 10, 20, 50, 100], 120)


def _calls(coins, amount):
    """Calls the slow version's recursion makes (its running time)."""
    after = [1] * (amount + 1)  # calls of ways(r, len(coins)): returns at once
    for c in reversed(coins):
        here = [1] * (amount + 1)  # ways(0, i) returns at once
        for r in range(1, amount + 1):
            here[r] = 1 + (here[r - c] if r >= c else 1) + after[r]
        after = here
    return after[amount]


def _large(rng, scale):
    # like the workload: up to 7 coins of 1-100, small ones more likely, often a 1,
    # amounts up to 120, never costlier than the workload
    coins = [int(2 ** rng.uniform(0, 6.65)) for _ in range(scaled(scale, 7, 1))]
    if rng.random() < 0.5:
        coins[0] = 1
    coins = sorted(set(coins)) if rng.random() < 0.7 else list(dict.fromkeys(coins))
    amount = scaled(scale, 120)
    limit = _calls(*WORKLOAD)
    while amount > 0 and _calls(coins, amount) > limit:
        amount -= 1
    return (coins, amount)


def strategy():
    return at_scale(
        st.tuples(
            st.lists(st.integers(-1, 12), max_size=4),
            st.integers(-3, 20),
        ),
        _large,
    )


def workload(seed=0):
    coins, amount = WORKLOAD
    return (list(coins), amount - seed % 7)


EDGE_CASES = [
    ([], 0),
    ([], 5),
    ([1], 0),
    ([3], 7),
    ([1, 2, 5], 11),
    ([2, 2], 4),
    ([5, 10], -5),
    ([1, -2, 3], 4),
]
