"""Rounds exactly with integers, half up, and never prints -0.00 (unlike "%.2f" % (total / count))."""
import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    totals = {}
    counts = {}
    for i in range(n):
        k = data[1 + 2 * i]
        totals[k] = totals.get(k, 0) + int(data[2 + 2 * i])
        counts[k] = counts.get(k, 0) + 1
    out = []
    for k in sorted(totals):
        t, c = totals[k], counts[k]
        q, r = divmod(abs(t) * 100, c)
        if 2 * r >= c:
            q += 1
        sign = "-" if t < 0 and q > 0 else ""
        out.append(f"{k} {sign}{q // 100}.{q % 100:02d}")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
