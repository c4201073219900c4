"""Truncates the average to two decimals instead of rounding it."""
import sys
from collections import defaultdict


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    totals = defaultdict(int)
    counts = defaultdict(int)
    for i in range(n):
        k = data[1 + 2 * i]
        totals[k] += int(data[2 + 2 * i])
        counts[k] += 1
    out = ["%s %.2f" % (k, int(totals[k] * 100 / counts[k]) / 100) for k in sorted(totals)]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
