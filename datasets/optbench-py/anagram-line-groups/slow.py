n = int(input())
words = input().split()
keys = []
groups = []
for w in words:
    k = "".join(sorted(w))
    found = False
    for i in range(len(keys)):
        if keys[i] == k:
            groups[i] = groups[i] + " " + w
            found = True
            break
    if not found:
        keys.append(k)
        groups.append(w)
for g in groups:
    print(g)
