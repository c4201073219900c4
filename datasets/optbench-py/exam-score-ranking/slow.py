n = int(input())
students = []
for _ in range(n):
    name, score = input().split()
    students.append([name, int(score)])
ordered = []
remaining = students[:]
while remaining:
    best = 0
    for i in range(1, len(remaining)):
        if remaining[i][1] > remaining[best][1]:
            best = i
    ordered.append(remaining.pop(best))
for s in ordered:
    rank = 1
    for t in students:
        if t[1] > s[1]:
            rank += 1
    print(rank, s[0], s[1])
