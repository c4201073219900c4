from hypothesis import strategies as st


def strategy():
    return st.tuples(st.integers(-10, 2000))


def workload():
    return (100_000,)


EDGE_CASES = [
    (-5,),
    (0,),
    (1,),
    (10,),
    (100,),
    (1000,),
]
