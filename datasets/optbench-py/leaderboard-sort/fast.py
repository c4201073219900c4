from operator import itemgetter


def rank_players(records):
    if not records:
        raise ValueError("no players")
    records.sort(key=itemgetter(1), reverse=True)  # reverse=True keeps sort stability
    return records[0][0]
