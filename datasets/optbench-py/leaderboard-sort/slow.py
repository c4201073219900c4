def rank_players(records):
    # insertion sort, highest score first; equal scores never move past each other
    for i in range(1, len(records)):
        current = records[i]
        j = i - 1
        while j >= 0 and records[j][1] < current[1]:
            records[j + 1] = records[j]
            j -= 1
        records[j + 1] = current
    if not records:
        raise ValueError("no players")
    return records[0][0]
