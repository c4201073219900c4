"""Rejects only negative coins: a zero-valued coin gives a wrong count instead of ValueError."""


def count_ways(coins, amount):
    for c in coins:
        if c < 0:
            raise ValueError("coin values must be positive")
    if amount < 0:
        return 0
    ways = [0] * (amount + 1)
    ways[0] = 1
    for c in coins:
        for value in range(c, amount + 1):
            ways[value] += ways[value - c]
    return ways[amount]
