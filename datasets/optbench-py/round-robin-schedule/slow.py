def round_robin(tasks, quantum):
    if quantum <= 0:
        raise ValueError("quantum must be positive")
    queue = []
    for name, duration in tasks:
        if duration < 0:
            raise ValueError(f"task {name!r} has a negative duration")
        queue.append([name, duration])
    clock = 0
    finished = []
    while queue:
        task = queue.pop(0)
        step = min(quantum, task[1])
        clock += step
        task[1] -= step
        if task[1] > 0:
            queue.append(task)
        else:
            finished.append((task[0], clock))
    return finished
