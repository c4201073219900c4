def dice_sum_counts(dice, faces):
    if dice < 0 or faces < 1:
        raise ValueError("need dice >= 0 and faces >= 1")
    counts = [1]
    for _ in range(dice):
        # convolve with one die, using a running window sum over `counts`
        size = len(counts) + faces - 1
        nxt = [0] * size
        window = 0
        for k in range(size):
            if k < len(counts):
                window += counts[k]
            if k >= faces:
                window -= counts[k - faces]
            nxt[k] = window
        counts = nxt
    return counts
