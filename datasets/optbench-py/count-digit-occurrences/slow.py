def count_digit(n, digit):
    if not 0 <= digit <= 9:
        raise ValueError("digit must be between 0 and 9")
    text = "".join(str(i) for i in range(1, n + 1))
    return text.count(str(digit))
