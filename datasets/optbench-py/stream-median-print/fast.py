import sys
from heapq import heappop, heappush, heappushpop


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    low = []  # max-heap (negated): the smaller half, holds the extra element
    high = []  # min-heap: the larger half
    out = []
    for tok in data[1 : 1 + n]:
        x = int(tok)
        if low and x > -low[0]:
            heappush(low, -heappushpop(high, x))
        else:
            heappush(low, -x)
        if len(low) > len(high) + 1:
            heappush(high, -heappop(low))
        if len(low) > len(high):
            out.append("%.1f" % -low[0])
        else:
            out.append("%.1f" % ((high[0] - low[0]) / 2))
    sys.stdout.write("\n".join(out) + "\n")


main()
