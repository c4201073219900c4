import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    totals = {}
    counts = {}
    keys = data[1 : 1 + 2 * n : 2]
    vals = data[2 : 2 + 2 * n : 2]
    for k, v in zip(keys, vals):
        if k in totals:
            totals[k] += int(v)
            counts[k] += 1
        else:
            totals[k] = int(v)
            counts[k] = 1
    out = ["%s %.2f" % (k.decode(), totals[k] / counts[k]) for k in sorted(totals)]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
