"""Pull the code out of a model's reply, and the reasoning around it."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

_PYTHON_TAGS = frozenset({"python", "py", "python3", "py3"})
_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[^\s`]*)[^\n`]*$")
_CODE_START = re.compile(r"^(?:(?:async[ \t]+def|def|class|import|from)\b|@\w)", re.MULTILINE)


@dataclass(frozen=True)
class CodeBlock:
    code: str
    language: str
    """The fence's language tag, lower-cased; ``""`` when untagged or not fenced."""
    start: int
    """Offset in the reply where the block (its fences included) starts."""
    end: int
    terminated: bool = True

    @property
    def is_python(self) -> bool:
        if self.language:
            return self.language in _PYTHON_TAGS
        return _parses(self.code)


def find_code_blocks(reply: str) -> list[CodeBlock]:
    """Fenced blocks (```, ~~~, with or without a language tag) in order; a final fence left
    open runs to the end of the reply."""
    blocks: list[CodeBlock] = []
    lines = reply.splitlines(keepends=True)
    pos = 0
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i].rstrip("\r\n"))
        if match is None:
            pos += len(lines[i])
            i += 1
            continue
        fence, start = match["fence"], pos
        body: list[str] = []
        pos += len(lines[i])
        i += 1
        terminated = False
        while i < len(lines):
            line = lines[i]
            pos += len(line)
            i += 1
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                terminated = True
                break
            if stripped.endswith(fence):  # "    return x```": a fence glued to the last line
                body.append(line.rstrip().removesuffix(fence).rstrip(fence[0]) + "\n")
                terminated = True
                break
            body.append(line)
        code = textwrap.dedent("".join(body)).strip("\n")
        blocks.append(CodeBlock(code, match["lang"].lower(), start, pos, terminated))
    return blocks


def _parses(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    # A lone word or number parses too: require something that does work.
    return any(
        not isinstance(stmt, ast.Expr) or isinstance(stmt.value, ast.Call) for stmt in tree.body
    )


def _defines(code: str, name: str) -> bool:
    pattern = rf"^[ \t]*(?:async[ \t]+def|def|class)[ \t]+{re.escape(name)}\b|^{re.escape(name)}[ \t]*(?::[^=\n]*)?="
    return re.search(pattern, code, re.MULTILINE) is not None


def choose_code_block(reply: str, entry_point: str | None = None) -> CodeBlock | None:
    """The block holding the answer: the last one defining ``entry_point``, else the last
    Python block, else the longest block; without fences, the reply itself when it is Python
    code (or its tail from the first ``def``/``class``/``import`` line)."""
    blocks = [b for b in find_code_blocks(reply) if b.code.strip()]
    if blocks:
        if entry_point:
            defining = [b for b in blocks if _defines(b.code, entry_point)]
            if defining:
                python = [b for b in defining if b.is_python]
                return (python or defining)[-1]
        python = [b for b in blocks if b.is_python]
        if python:
            return python[-1]
        return max(blocks, key=lambda b: len(b.code))
    text = reply.strip("\n")
    if _parses(text):
        start = len(reply) - len(reply.lstrip("\n"))
        return CodeBlock(text, "", start, start + len(text))
    match = _CODE_START.search(reply)
    if match is not None:
        tail = reply[match.start() :].rstrip()
        if _parses(tail):
            return CodeBlock(tail, "", match.start(), match.start() + len(tail))
    return None


def extract_code(reply: str, entry_point: str | None = None) -> str | None:
    """The code of a reply (see :func:`choose_code_block`), as written; ``None`` when there is none."""
    block = choose_code_block(reply, entry_point)
    return block.code if block is not None else None


def extract_reasoning(reply: str, entry_point: str | None = None) -> str:
    """The reply's text outside the chosen code block (the whole reply when it has no code)."""
    block = choose_code_block(reply, entry_point)
    if block is None:
        return reply.strip()
    return (reply[: block.start].rstrip() + "\n\n" + reply[block.end :].lstrip()).strip()
