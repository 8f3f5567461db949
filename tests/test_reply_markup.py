"""No platform markup in handlers/: replies are written with the rich-text model of handlers/reply.py.

Every string literal in handlers/ (f-strings with their placeholders read as "x"; docstrings and raw strings, the
screen's regular expressions, left out) is read for what Slack mrkdwn or a chat convention would put there: a link or
mention in angle brackets, ``*bold*``, ``_italic_``, a "• " list, or a slash command. Each has its mark in the model
(Link, Strong, Emphasis, Bullets, Command), and only the adapters turn marks into a platform's markup.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKUP = {
    "a link or mention in <…> (use Link)": re.compile(r"<(?:https?:|mailto:|[!@#])|<[^<>\s|]+\|[^<>]*>"),
    "*bold* (use Strong)": re.compile(r"(?<![\w*])\*(?![\s*])[^*\n]+(?<![\s*])\*(?![\w*])"),
    "_italic_ (use Emphasis)": re.compile(r"(?<![\w_])_(?![\s_])[^_\n]+(?<![\s_])_(?![\w_])"),
    "a • list (use Bullets)": re.compile(r"(?:^|\n)[ \t]*•"),
    "a slash command (use Command)": re.compile(r"(?<![\w/])/(?:aftercare|actions|reflect|checkin|broadcast)\b"),
}
ALLOWED = {  # (file, what): why
    ("handlers/reply.py", "a • list (use Bullets)"): "plain_text writes a list as • lines: the console's form",
}


def strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each string literal that is not a docstring or a raw string."""
    tree = ast.parse(source)
    lines = source.splitlines()
    docs = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    parts = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant | ast.JoinedStr) or id(node) in docs | parts:
            continue
        prefix = lines[node.lineno - 1][node.col_offset : node.col_offset + 3].split('"')[0].split("'")[0]
        if "r" in prefix.lower():
            continue
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values)
        elif isinstance(node.value, str):
            yield node.lineno, node.value


def markup_in(source: str) -> list[tuple[int, str]]:
    return sorted(
        (line, what) for line, text in strings(source) for what, found in MARKUP.items() if found.search(text)
    )


def test_no_string_in_handlers_carries_platform_markup():
    problems = []
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        problems += [
            f"{name}:{line}: {what}" for line, what in markup_in(path.read_text()) if (name, what) not in ALLOWED
        ]
    assert problems == []


def test_the_check_finds_each_kind_of_markup():
    """Guard the guard: a sample handler written the old way fails on every line, the new way on none."""
    old = '''
def reply(action, question):
    """A docstring may say *this*, _that_ and /actions A07."""
    blocks = (Block(kind="section", text=f"*{question}*\\nSee <https://example.org|the guide>"),)
    follow_up = f"\\n_{action.follow_up}_"
    routes = "\\n".join(f"• {r.label}: {r.route}" for r in routes)
    hint = f"Press a status, or add a line: /actions {action.code} note ..."
    mention = "<!channel> please read"
    pattern = r"\\w*|kick\\w*|_x_"
'''
    new = """
def reply(action, question):
    blocks = (Block(kind="section", text=(Strong(question), "\\nSee ", Link("https://example.org", "the guide"))),)
    follow_up = ("\\n", Emphasis(action.follow_up))
    routes = Bullets(*(f"{r.label}: {r.route}" for r in routes))
    hint = ("Press a status, or add a line: ", Command(f"actions {action.code} note ..."))
    words = "2 * 3 * 4, not_started, on|off, a/actions/b"
"""

    assert markup_in(old) == [
        (4, "*bold* (use Strong)"),
        (4, "a link or mention in <…> (use Link)"),
        (5, "_italic_ (use Emphasis)"),
        (6, "a • list (use Bullets)"),
        (7, "a slash command (use Command)"),
        (8, "a link or mention in <…> (use Link)"),
    ]
    assert markup_in(new) == []
