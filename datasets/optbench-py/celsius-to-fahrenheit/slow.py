n = int(input())
for _ in range(n):
    c = float(input())
    if c < -273.15:
        print("INVALID")
    else:
        print(c * 9 / 5 + 32)
