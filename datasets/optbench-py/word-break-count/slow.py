def count_segmentations(s, words):
    if "" in words:
        raise ValueError("words must be non-empty")
    if s == "":
        return 1
    total = 0
    for w in words:
        if s.startswith(w):
            total += count_segmentations(s[len(w):], words)
    return total
