n = int(input())
for _ in range(n):
    s = input()
    while "()" in s or "[]" in s or "{}" in s:
        s = s.replace("()", "").replace("[]", "").replace("{}", "")
    if s == "":
        print("Yes")
    else:
        print("No")
