"""`aftercare report KIND [--format F] [--out PATH] [--programme CODE]` (CONTRACT §2).

Markdown and CSV go to standard output unless --out is given; HTML, PNG and DOCX are written to --out (a file, or a
folder for the standard name) or to KIND-DATE.EXT in the current folder. Exit 0 when written; 1 when there is
nothing to report on; 2 for an unknown kind, format or programme. Never prints a figure below the threshold: every
report is built through handlers/thresholds.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli_support import CliMisuse, command, prepare, run
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.model import Programme
from handlers.reports import FORMATS, KINDS

TEXT_FORMATS = ("md", "csv")


def add_parsers(sub: Any) -> None:
    report = sub.add_parser("report", help=f"write a report: {', '.join(KINDS)}")
    report.add_argument("kind", metavar="KIND", help=", ".join(KINDS))
    report.add_argument("--format", dest="fmt", default="md", metavar="F", help="md, html, csv, png or docx")
    report.add_argument("--out", type=Path, help="file or folder to write to")
    report.add_argument("--programme", help="programme code, when several are loaded")


def check_request(kind: str, fmt: str) -> None:
    """One sentence for a kind or format that does not exist (CLI misuse, exit 2)."""
    if kind not in KINDS:
        raise CliMisuse(f"There is no '{kind}' report; the reports are {', '.join(KINDS)}.")
    if fmt not in FORMATS[kind]:
        raise CliMisuse(f"The {kind} report comes as {', '.join(FORMATS[kind])}, not '{fmt}'.")


async def pick_programme(runtime: Runtime, code: str | None) -> Programme | None:
    programmes = await runtime.programmes()
    if code is not None:
        found = [p for p in programmes if p.code.lower() == code.lower()]
        if not found:
            raise CliMisuse(f"No programme with the code {code} is loaded.")
        return found[0]
    if len(programmes) > 1:
        raise CliMisuse("Several programmes are loaded; choose one with --programme CODE.")
    return programmes[0] if programmes else None


@command("report")
def report_command(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reports.pipeline import produce
    from bot.reports.render import file_name, render

    kind, fmt = args.kind.lower(), args.fmt.lower().lstrip(".")
    check_request(kind, fmt)
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        programme = await pick_programme(runtime, args.programme)
        if programme is None:
            print("No programme is loaded yet; run 'aftercare programme import PATH' first.", file=sys.stderr)
            return 1
        report = (await produce(runtime, programme, [kind]))[kind]
        data = render(report, fmt)
        if args.out is None and fmt in TEXT_FORMATS:
            sys.stdout.write(data.decode("utf-8"))
            return 0
        target = args.out or Path(file_name(report, fmt))
        if target.is_dir():
            target = target / file_name(report, fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"Wrote the {kind} report to {target}.")
        return 0

    return run(go, settings)
