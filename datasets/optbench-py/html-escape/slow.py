def escape_html(text):
    result = ""
    for ch in text:
        if ch == "&":
            result += "&amp;"
        elif ch == "<":
            result += "&lt;"
        elif ch == ">":
            result += "&gt;"
        elif ch == '"':
            result += "&quot;"
        elif ch == "'":
            result += "&#x27;"
        else:
            result += ch
    return result
