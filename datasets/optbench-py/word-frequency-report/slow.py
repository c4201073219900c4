def word_frequency_report(text):
    words = []
    current = ""
    for ch in text:
        if ch.isalpha():
            current += ch
        else:
            if current:
                words.append(current.lower())
            current = ""
    if current:
        words.append(current.lower())

    unique = []
    for w in words:
        if w not in unique:
            unique.append(w)
    pairs = []
    for w in unique:
        pairs.append((words.count(w), w))
    pairs.sort(key=lambda p: (-p[0], p[1]))

    report = ""
    for count, w in pairs:
        report += w + ": " + str(count) + "\n"
    return report
