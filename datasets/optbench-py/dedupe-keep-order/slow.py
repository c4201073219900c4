def dedupe_in_place(items):
    unique = []
    for item in items:
        if item not in unique:
            unique.append(item)
    removed = len(items) - len(unique)
    items[:] = unique
    return removed
