def count_primes(n):
    count = 0
    for candidate in range(2, n):
        is_prime = True
        for d in range(2, int(candidate ** 0.5) + 1):
            if candidate % d == 0:
                is_prime = False
                break
        if is_prime:
            count += 1
    return count
