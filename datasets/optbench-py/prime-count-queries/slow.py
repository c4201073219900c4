def is_prime(x):
    if x < 2:
        return False
    i = 2
    while i * i <= x:
        if x % i == 0:
            return False
        i += 1
    return True


q = int(input())
for _ in range(q):
    a, b = map(int, input().split())
    count = 0
    for x in range(a, b + 1):
        if is_prime(x):
            count += 1
    print(count)
