import random

from hypothesis import strategies as st

from optbench.datasets.strategies import at_scale, scaled


def _votes(rng, n, winner, wins):
    # votes for many candidates arrive first, the winner's late
    return [rng.randrange(100, 10**6) for _ in range(n - wins)] + [winner] * wins


def _large(rng, scale):
    n = scaled(scale, 6000, 1)
    winner = rng.randrange(100, 10**6)
    # now and then one vote short of a majority
    wins = n // 2 + 1 - (rng.random() < 0.25)
    return (_votes(rng, n, winner, wins),)


def strategy():
    return at_scale(
        st.tuples(
            st.one_of(
                st.lists(st.integers(-3, 3), max_size=30),
                st.lists(st.sampled_from([7, 7, 7, -1]), max_size=30),
            )
        ),
        _large,
    )


def workload(seed=23):
    n = 6000
    return (_votes(random.Random(seed), n, 42, n // 2 + 1),)


EDGE_CASES = [
    ([],),
    ([7],),
    ([1, 1, 2],),
    ([2, 1, 2, 1, 2],),
    ([1, 2, 3],),
    ([-1, -1, 0],),
]
