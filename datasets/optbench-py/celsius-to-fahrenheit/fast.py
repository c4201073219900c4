import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    out = []
    append = out.append
    for tok in data[1 : 1 + n]:
        c = float(tok)
        if c < -273.15:
            append("INVALID")
        else:
            append(repr(c * 9 / 5 + 32))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
