"""Output that cannot be turned against its reader: CSV cells that never run as formulas, and paths that stay
inside their folder (docs/anonymity.md, "Operational hygiene")."""

from __future__ import annotations

import re
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def csv_cell(value: object) -> str:
    """A cell as text a spreadsheet opens as text: a leading = + - @ tab or CR gets a ' in front (a plain number
    such as -3 stays a number), and a carriage return inside becomes a line break, which the CSV writer quotes."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_row(values: list[object] | tuple[object, ...]) -> list[str]:
    return [csv_cell(value) for value in values]


def inside(root: Path, *parts: str) -> Path:
    """``root / parts``, refused (ValueError) if it would resolve to somewhere outside ``root``."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise ValueError(f"'{'/'.join(parts)}' would be written outside {root}; nothing was written.")
    return target
