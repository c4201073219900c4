import sys


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    width = w + 2
    # flat grid with a wall border: 1 = open and not yet visited
    cells = bytearray(width * (h + 2))
    for i in range(h):
        row = data[2 + i]
        base = (i + 1) * width + 1
        cells[base : base + w] = row.replace(b".", b"\x01").replace(b"#", b"\x00")
    count = 0
    largest = 0
    steps = (1, -1, width, -width)
    find = cells.find
    start = find(1)
    while start != -1:
        count += 1
        cells[start] = 0
        stack = [start]
        pop = stack.pop
        push = stack.append
        size = 0
        while stack:
            p = pop()
            size += 1
            for d in steps:
                q = p + d
                if cells[q]:
                    cells[q] = 0
                    push(q)
        if size > largest:
            largest = size
        start = find(1, start)
    print(count, largest)


main()
