from hypothesis import strategies as st


def strategy():
    return st.tuples(st.integers(-5, 18))


def workload():
    return (28,)


EDGE_CASES = [
    (0,),
    (1,),
    (2,),
    (10,),
    (-1,),
]
