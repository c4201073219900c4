def count_ways(coins, amount):
    for c in coins:
        if c <= 0:
            raise ValueError("coin values must be positive")

    def ways(remaining, index):
        if remaining == 0:
            return 1
        if remaining < 0 or index == len(coins):
            return 0
        # either use coins[index] (again), or move on to the next coin
        return ways(remaining - coins[index], index) + ways(remaining, index + 1)

    return ways(amount, 0)
