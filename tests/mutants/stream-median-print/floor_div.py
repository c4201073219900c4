"""Averages the two middle values with // so an odd sum loses its .5 (and rounds down)."""
import sys
from bisect import insort


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    seen = []
    out = []
    for tok in data[1 : 1 + n]:
        insort(seen, int(tok))
        k = len(seen)
        if k % 2:
            out.append("%.1f" % seen[k // 2])
        else:
            out.append("%.1f" % ((seen[k // 2 - 1] + seen[k // 2]) // 2))
    sys.stdout.write("\n".join(out) + "\n")


main()
