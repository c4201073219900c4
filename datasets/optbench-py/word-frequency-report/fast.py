import re
from collections import Counter

# \w minus digits and "_" is a superset of str.isalpha(): it also matches
# numeric characters such as "½" or "²", which must still split words.
_CANDIDATE = re.compile(r"[^\W\d_]+")


def word_frequency_report(text):
    counts = Counter()
    for token in _CANDIDATE.findall(text):
        if token.isalpha():
            counts[token.lower()] += 1
            continue
        current = ""
        for ch in token:
            if ch.isalpha():
                current += ch
            elif current:
                counts[current.lower()] += 1
                current = ""
        if current:
            counts[current.lower()] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join([f"{word}: {count}\n" for word, count in ordered])
