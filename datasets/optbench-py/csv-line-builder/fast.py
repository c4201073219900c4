def _field(value):
    if value is None:
        return ""
    text = str(value)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def to_csv(rows):
    return "".join([",".join(map(_field, row)) + "\n" for row in rows])
