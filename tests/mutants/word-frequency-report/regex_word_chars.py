"""Splits with the regex [^\W\d_]+, which also accepts numeric non-letters such as '½' and '²'."""
import re
from collections import Counter


def word_frequency_report(text):
    counts = Counter(w.lower() for w in re.findall(r"[^\W\d_]+", text))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{word}: {count}\n" for word, count in ordered)
