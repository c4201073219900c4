"""Breaks score ties by name (descending) instead of keeping the original order."""


def rank_players(records):
    if not records:
        raise ValueError("no players")
    records.sort(key=lambda r: (r[1], r[0]), reverse=True)
    return records[0][0]
