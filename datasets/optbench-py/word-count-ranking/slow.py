n = int(input())
words = []
counts = []
for _ in range(n):
    w = input().strip()
    if w in words:
        counts[words.index(w)] += 1
    else:
        words.append(w)
        counts.append(1)
pairs = []
for i in range(len(words)):
    pairs.append((-counts[i], words[i]))
pairs.sort()
for c, w in pairs:
    print(w, -c)
