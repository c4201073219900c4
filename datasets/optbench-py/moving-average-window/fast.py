import sys
from itertools import accumulate


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    prefix = [0.0]
    prefix += accumulate(map(float, data[2 : 2 + n]))
    out = ["%.6f" % ((prefix[i + k] - prefix[i]) / k) for i in range(n - k + 1)]
    sys.stdout.write("\n".join(out) + "\n")


main()
