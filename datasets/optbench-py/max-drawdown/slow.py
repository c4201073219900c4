def max_drawdown(prices):
    drawdowns = []
    for i in range(len(prices)):
        peak = max(prices[:i + 1])
        drawdowns.append(peak - prices[i])
    if not drawdowns:
        return 0
    return max(drawdowns)
