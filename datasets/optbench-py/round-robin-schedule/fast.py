from collections import deque


def round_robin(tasks, quantum):
    if quantum <= 0:
        raise ValueError("quantum must be positive")
    queue = deque()
    for name, duration in tasks:
        if duration < 0:
            raise ValueError(f"task {name!r} has a negative duration")
        queue.append((name, duration))
    clock = 0
    finished = []
    popleft, append = queue.popleft, queue.append
    while queue:
        name, left = popleft()
        if left > quantum:
            clock += quantum
            append((name, left - quantum))
        else:
            clock += left
            finished.append((name, clock))
    return finished
