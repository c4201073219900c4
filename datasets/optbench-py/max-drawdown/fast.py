def max_drawdown(prices):
    if not prices:
        return 0
    peak = prices[0]
    worst = 0
    for p in prices:
        if p > peak:
            peak = p
        elif peak - p > worst:
            worst = peak - p
    return worst
