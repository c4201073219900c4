"""Treats intervals that only touch (e == s) as overlapping: uses > instead of >=."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    vals = list(map(int, data[1 : 1 + 2 * n]))
    pairs = sorted(zip(vals[1::2], vals[0::2]))
    count = 0
    last = -1
    for e, s in pairs:
        if s > last:
            count += 1
            last = e
    print(count)


main()
