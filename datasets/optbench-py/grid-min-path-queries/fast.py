import sys


def main():
    data = sys.stdin.buffer.read().split()
    h, w, q = int(data[0]), int(data[1]), int(data[2])
    vals = list(map(int, data[3 : 3 + h * w]))
    dp = []
    prev = None
    for i in range(h):
        row = vals[i * w : (i + 1) * w]
        cur = [0] * w
        if prev is None:
            acc = 0
            for j in range(w):
                acc += row[j]
                cur[j] = acc
        else:
            left = prev[0] + row[0]
            cur[0] = left
            for j in range(1, w):
                up = prev[j]
                left = (up if up < left else left) + row[j]
                cur[j] = left
        dp.append(cur)
        prev = cur
    pos = 3 + h * w
    qs = list(map(int, data[pos : pos + 2 * q]))
    out = [str(dp[qs[k] - 1][qs[k + 1] - 1]) for k in range(0, 2 * q, 2)]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
