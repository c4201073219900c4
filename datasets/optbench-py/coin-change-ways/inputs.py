from hypothesis import strategies as st


def strategy():
    return st.tuples(
        st.lists(st.integers(-1, 12), max_size=4),
        st.integers(-3, 20),
    )


def workload():
    return ([1, 2, 5, 10, 20, 50, 100], 120)


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
