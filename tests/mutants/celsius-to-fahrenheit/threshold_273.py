"""Uses -273 instead of -273.15 as absolute zero, so -273.1 is wrongly INVALID."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    out = []
    for tok in data[1 : 1 + n]:
        c = float(tok)
        out.append("INVALID" if c < -273 else repr(c * 9 / 5 + 32))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
