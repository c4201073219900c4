import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    groups = {}
    for w in data[1 : 1 + n]:
        k = "".join(sorted(w))
        g = groups.get(k)
        if g is None:
            groups[k] = [w]
        else:
            g.append(w)
    out = [" ".join(g) for g in groups.values()]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
