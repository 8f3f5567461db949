"""`aftercare programme import` (with conflicts, --prefer, --choose, --preview) and `aftercare programme export`."""

from __future__ import annotations

import argparse
import sys
from typing import Any, cast

from bot.cli_support import CliMisuse, command, prepare, run
from bot.importing import ImportProblems
from bot.runtime import Runtime
from bot.settings import Settings
from storage.action_import import FIELDS, Resolution, Side


def add_parsers(_sub: Any) -> None:
    """The parsers are built with the other `programme` sub-commands in bot/cli.py."""


def resolution_of(prefer: str | None, choices: list[str]) -> Resolution:
    """``--prefer`` and ``--choose A09:due=chat`` as a Resolution. Raises CliMisuse on a badly written choice."""
    chosen: dict[tuple[str, str], Side] = {}
    names = {label.replace(" ", "_"): name for name, (_, label, _) in FIELDS.items()} | {n: n for n in FIELDS}
    for text in choices:
        where, _, side = text.partition("=")
        code, _, name = where.partition(":")
        key = name.strip().lower().replace(" ", "_").replace("-", "_")
        if side not in ("spreadsheet", "chat") or not code or key not in names:
            raise CliMisuse(
                f"'{text}' is not a choice; write it as CODE:FIELD=spreadsheet or =chat, e.g. A09:due=chat."
            )
        chosen[(code.strip().upper(), names[key])] = cast(Side, side)
    return Resolution(prefer=cast(Side | None, prefer), choices=chosen)


@command("programme import")
def programme_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot import programme_cli
    from storage.programme_store import LowerThreshold

    if args.path is None and args.actions is None:
        raise CliMisuse("Please give a programme file, an action plan with --actions, or both.")
    resolution = resolution_of(args.prefer, args.choose)
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        try:
            summary = await programme_cli.import_files(
                runtime, args.path, args.actions, args.programme, settings.timezone, resolution, args.preview
            )
        except ImportProblems as problems:
            print(f"Nothing was imported: {len(problems.problems)} problem(s) to fix first.", file=sys.stderr)
            for problem in problems.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        except programme_cli.NoProgramme as error:
            raise CliMisuse(str(error)) from None
        except LowerThreshold as error:
            print(str(error), file=sys.stderr)
            return 1
        verb = "Preview (nothing was written) of importing" if args.preview else "Imported"
        print(f"{verb} programme {summary.programme_code}.")
        for line in summary.lines():
            print(f"  {line}")
        return 0

    return run(go, settings)


@command("programme export")
def programme_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot import programme_cli

    if args.out.suffix.lower() not in (".xlsx", ".csv"):
        raise CliMisuse(f"'{args.out.name}' should end in .xlsx or .csv.")
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        try:
            count = await programme_cli.export_plan(runtime, args.out, args.programme)
        except programme_cli.NoProgramme as error:
            raise CliMisuse(str(error)) from None
        print(f"Wrote {count} actions to {args.out}.")
        return 0

    return run(go, settings)
