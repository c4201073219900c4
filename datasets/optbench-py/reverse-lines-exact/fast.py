import sys


def main():
    lines = sys.stdin.read().split("\n")
    n = int(lines[0])
    if n:
        sys.stdout.write("\n".join([s[::-1] for s in lines[1 : 1 + n]]) + "\n")


main()
