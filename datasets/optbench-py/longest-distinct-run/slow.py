def longest_distinct_run(items):
    best = 0
    for i in range(len(items)):
        window = []
        for item in items[i:]:
            if item in window:
                break
            window.append(item)
        if len(window) > best:
            best = len(window)
    return best
