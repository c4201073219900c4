"""Quotes fields containing a comma, quote or newline but forgets the carriage return."""


def _field(value):
    if value is None:
        return ""
    text = str(value)
    if '"' in text or "," in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(rows):
    return "".join(",".join(map(_field, row)) + "\n" for row in rows)
