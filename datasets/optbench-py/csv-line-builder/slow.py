def to_csv(rows):
    out = ""
    for row in rows:
        line = ""
        for index, value in enumerate(row):
            if index > 0:
                line += ","
            if value is None:
                field = ""
            else:
                field = str(value)
            needs_quotes = False
            for ch in field:
                if ch in ',"\n\r':
                    needs_quotes = True
            if needs_quotes:
                quoted = '"'
                for ch in field:
                    if ch == '"':
                        quoted += '""'
                    else:
                        quoted += ch
                quoted += '"'
                field = quoted
            line += field
        out += line + "\n"
    return out
