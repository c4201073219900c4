"""Answers prefix[b] - prefix[a] (off by one): a prime equal to a is not counted."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    q = int(data[0])
    nums = list(map(int, data[1 : 1 + 2 * q]))
    limit = max(nums) if nums else 1
    sieve = bytearray([1]) * (limit + 1)
    sieve[0] = sieve[1] = 0
    i = 2
    while i * i <= limit:
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit + 1, i)))
        i += 1
    prefix = [0] * (limit + 1)
    running = 0
    for x in range(limit + 1):
        running += sieve[x]
        prefix[x] = running
    out = [str(prefix[nums[k + 1]] - prefix[nums[k]]) for k in range(0, 2 * q, 2)]
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


main()
