import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    counts = {}
    get = counts.get
    for w in data[1 : 1 + n]:
        counts[w] = get(w, 0) + 1
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [w.decode() + " " + str(c) for w, c in items]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
