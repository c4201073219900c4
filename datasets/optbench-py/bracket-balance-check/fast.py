import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    match = {")": "(", "]": "[", "}": "{"}
    out = []
    for s in data[1 : 1 + n]:
        stack = []
        push = stack.append
        pop = stack.pop
        ok = True
        for ch in s:
            want = match.get(ch)
            if want is None:
                push(ch)
            elif not stack or pop() != want:
                ok = False
                break
        out.append("Yes" if ok and not stack else "No")
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
