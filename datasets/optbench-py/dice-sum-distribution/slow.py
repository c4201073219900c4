from itertools import product


def dice_sum_counts(dice, faces):
    if dice < 0 or faces < 1:
        raise ValueError("need dice >= 0 and faces >= 1")
    rolls = list(product(range(1, faces + 1), repeat=dice))
    totals = [sum(roll) for roll in rolls]
    counts = [0] * (dice * faces - dice + 1)
    for t in totals:
        counts[t - dice] += 1
    return counts
