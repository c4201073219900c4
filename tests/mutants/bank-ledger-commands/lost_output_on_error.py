"""On an unknown account prints only the UNKNOWN line: the output buffered before it is lost."""
import sys


def main():
    lines = sys.stdin.buffer.read().split(b"\n")
    n, q = map(int, lines[0].split())
    bal = {}
    for k in range(1, n + 1):
        name, b = lines[k].split()
        bal[name] = int(b)
    out = []
    append = out.append

    def unknown(name):
        sys.stdout.write("UNKNOWN " + name.decode() + "\n")
        sys.exit(1)

    for k in range(n + 1, n + 1 + q):
        parts = lines[k].split()
        op = parts[0]
        if op == b"balance":
            a = parts[1]
            if a not in bal:
                unknown(a)
            append(str(bal[a]))
        elif op == b"deposit":
            a = parts[1]
            if a not in bal:
                unknown(a)
            bal[a] += int(parts[2])
        elif op == b"withdraw":
            a = parts[1]
            if a not in bal:
                unknown(a)
            x = int(parts[2])
            if bal[a] >= x:
                bal[a] -= x
            else:
                append("FAILED")
        elif op == b"transfer":
            a, b = parts[1], parts[2]
            if a not in bal:
                unknown(a)
            if b not in bal:
                unknown(b)
            x = int(parts[3])
            if bal[a] >= x:
                bal[a] -= x
                bal[b] += x
            else:
                append("FAILED")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
