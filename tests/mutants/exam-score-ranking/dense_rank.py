"""Uses dense ranking (1 2 2 3) instead of competition ranking (1 2 2 4)."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    names = data[1 : 1 + 2 * n : 2]
    scores = list(map(int, data[2 : 2 + 2 * n : 2]))
    order = sorted(range(n), key=lambda i: -scores[i])
    out = []
    rank = 0
    prev = None
    for i in order:
        s = scores[i]
        if s != prev:
            rank += 1
            prev = s
        out.append(f"{rank} {names[i].decode()} {s}")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
