def edit_distance(a, b):
    memo = {}

    def solve(x, y):
        if (x, y) in memo:
            return memo[(x, y)]
        if not x:
            result = len(y)
        elif not y:
            result = len(x)
        elif x[0] == y[0]:
            result = solve(x[1:], y[1:])
        else:
            result = 1 + min(solve(x[1:], y), solve(x, y[1:]), solve(x[1:], y[1:]))
        memo[(x, y)] = result
        return result

    return solve(a, b)
