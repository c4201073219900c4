n = int(input())
for _ in range(n):
    line = input()
    rev = ""
    for ch in line:
        rev = ch + rev
    print(rev)
