"""Treats every falsy value (0, 0.0, False) like None and writes an empty field."""


def _field(value):
    text = str(value) if value else ""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(rows):
    return "".join(",".join(map(_field, row)) + "\n" for row in rows)
