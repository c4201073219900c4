import sys

n, q = map(int, input().split())
names = []
balances = []
for _ in range(n):
    name, bal = input().split()
    names.append(name)
    balances.append(int(bal))


def find(name):
    for i in range(len(names)):
        if names[i] == name:
            return i
    print("UNKNOWN " + name)
    sys.exit(1)


for _ in range(q):
    parts = input().split()
    op = parts[0]
    if op == "deposit":
        i = find(parts[1])
        balances[i] = balances[i] + int(parts[2])
    elif op == "withdraw":
        i = find(parts[1])
        x = int(parts[2])
        if balances[i] >= x:
            balances[i] = balances[i] - x
        else:
            print("FAILED")
    elif op == "transfer":
        i = find(parts[1])
        j = find(parts[2])
        x = int(parts[3])
        if balances[i] >= x:
            balances[i] = balances[i] - x
            balances[j] = balances[j] + x
        else:
            print("FAILED")
    elif op == "balance":
        i = find(parts[1])
        print(balances[i])
