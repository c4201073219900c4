"""Sorts names descending via negated code points, which puts a prefix before its extensions."""


def sort_people(people):
    return sorted(people, key=lambda p: (p[1], [-ord(c) for c in p[0]]))
