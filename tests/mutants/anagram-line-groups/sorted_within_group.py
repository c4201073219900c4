"""Prints the words of each group in alphabetical order instead of input order."""
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    groups = {}
    for w in data[1 : 1 + n]:
        groups.setdefault("".join(sorted(w)), []).append(w)
    out = [" ".join(sorted(g)) for g in groups.values()]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
