import random

from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.one_of(
            st.lists(st.integers(-3, 3), max_size=30),
            st.lists(st.sampled_from([7, 7, 7, -1]), max_size=30),
        )
    )


def workload():
    # votes for many candidates arrive first, the winner's late
    rng = random.Random(23)
    n = 6000
    votes = [rng.randrange(100, 10**6) for _ in range(n // 2 - 1)] + [42] * (n // 2 + 1)
    return (votes,)


EDGE_CASES = [
    ([],),
    ([7],),
    ([1, 1, 2],),
    ([2, 1, 2, 1, 2],),
    ([1, 2, 3],),
    ([-1, -1, 0],),
]
