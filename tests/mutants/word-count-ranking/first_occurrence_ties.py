"""Sorts by count only, so equal counts keep first-occurrence order instead of lexicographic order."""
import sys
from collections import Counter


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    counts = Counter(data[1 : 1 + n])
    items = sorted(counts.items(), key=lambda kv: -kv[1])
    out = [f"{w} {c}" for w, c in items]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
