def dedupe_in_place(items):
    unique = list(dict.fromkeys(items))
    removed = len(items) - len(unique)
    items[:] = unique
    return removed
