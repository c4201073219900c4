from operator import itemgetter


def sort_people(people):
    # two stable passes: secondary key first, then the primary key
    result = sorted(people, key=itemgetter(0), reverse=True)
    result.sort(key=itemgetter(1))
    return result
