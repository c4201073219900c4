"""Orders the groups by their sorted-letters key instead of by first appearance."""
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    groups = {}
    for w in data[1 : 1 + n]:
        groups.setdefault("".join(sorted(w)), []).append(w)
    out = [" ".join(groups[k]) for k in sorted(groups)]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
