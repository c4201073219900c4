def reduce_fractions(fractions):
    reduced = []
    for num, den in fractions:
        if den == 0:
            raise ZeroDivisionError("zero denominator")
        if den < 0:
            num, den = -num, -den
        divisor = 1
        for d in range(1, min(abs(num), den) + 1):
            if num % d == 0 and den % d == 0:
                divisor = d
        reduced.append((num // divisor, den // divisor))
    return reduced
