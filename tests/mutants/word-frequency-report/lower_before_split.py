"""Lower-cases the whole text before splitting; lower() can turn letters into non-letters (e.g. 'İ')."""
from collections import Counter


def word_frequency_report(text):
    words = []
    current = []
    for ch in text.lower():
        if ch.isalpha():
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    ordered = sorted(Counter(words).items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{word}: {count}\n" for word, count in ordered)
