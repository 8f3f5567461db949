"""The `aftercare` command (CONTRACT §2).

Exit codes: 0 the command did what was asked; 1 the bot refused or the input was wrong; 2 misuse of the CLI.
Errors are one clear sentence on stderr, never a traceback, unless --debug.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from pathlib import Path

from bot.cli_support import COMMANDS, CliMisuse, command, prepare, run
from bot.console import prefilled, render_form, render_text
from bot.logs import configure_logging
from bot.runtime import Runtime, UnknownParticipant
from bot.settings import ConfigurationError, Settings, load_settings
from handlers.onboarding import ACK_FORM
from storage.migrate import upgrade

logger = logging.getLogger(__name__)

# Modules that add their own sub-commands: each has add_parsers(sub) and registers handlers with @command.
EXTENSIONS: tuple[str, ...] = (
    "bot.cli_serve",
    "bot.cli_anonymity",
    "bot.cli_teams",
    "bot.cli_reports",
    "bot.slack.cli",
    "bot.cli_delivery",
    "bot.cli_plan",
    "bot.cli_check",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aftercare", description="Aftercare: carry a review's learning into practice."
    )
    parser.add_argument("--db", help="database URL (overrides AFTERCARE_DATABASE_URL)")
    parser.add_argument("--debug", action="store_true", help="show debug logs and full tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="create or migrate the schema")
    programme = sub.add_parser("programme", help="load or show a programme").add_subparsers(
        dest="programme_command", required=True
    )
    load = programme.add_parser("import", help="load a programme YAML and/or an action plan (CSV or XLSX)")
    load.add_argument("path", nargs="?", type=Path, help="programme YAML, e.g. examples/programme.yaml")
    load.add_argument("--actions", type=Path, help="action plan spreadsheet (.csv or .xlsx)")
    load.add_argument("--programme", help="programme code, when several are loaded")
    load.add_argument(
        "--prefer", choices=("spreadsheet", "chat"), help="settle every conflict with a chat change this way"
    )
    load.add_argument(
        "--choose", action="append", default=[], metavar="CODE:FIELD=SIDE",
        help="settle one conflict, e.g. A09:due=chat or A09:status=spreadsheet (may be repeated)",
    )  # fmt: skip
    load.add_argument("--preview", action="store_true", help="show what would change, and the conflicts; write nothing")
    programme.add_parser("show", help="summary of what is loaded")
    export = programme.add_parser("export", help="write the action plan as .xlsx or .csv, in the columns import reads")
    export.add_argument("--out", type=Path, required=True, help="PLAN.xlsx or PLAN.csv")
    export.add_argument("--programme", help="programme code, when several are loaded")
    say = sub.add_parser("say", help="run one chat command as a participant")
    say.add_argument("--as", dest="email", required=True, help="the participant's email")
    say.add_argument("--programme", help="programme code, when the person is in several")
    say.add_argument("text", nargs="+", help='the command, e.g. "/actions A07 done Audit complete"')
    console = sub.add_parser("console", help="an interactive session as a participant")
    console.add_argument("--as", dest="email", required=True)
    console.add_argument("--programme")
    demo = sub.add_parser("demo", help="a scripted end-to-end run on a fresh embedded database")
    demo.add_argument("--out", type=Path, default=Path("demo-output"))
    for name in EXTENSIONS:
        importlib.import_module(name).add_parsers(sub)
    return parser


def hoist_global_flags(argv: list[str]) -> list[str]:
    """Accept --db URL and --debug after the sub-command too (`aftercare say --db URL ...`)."""
    front: list[str] = []
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--db":
            front += [word, next(words, "")]
        elif word.startswith("--db=") or word == "--debug":
            front.append(word)
        else:
            rest.append(word)
    return front + rest


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(hoist_global_flags(sys.argv[1:] if argv is None else argv))
    try:
        settings = load_settings()
    except ConfigurationError as error:
        if args.command == "check":  # one line per problem, as for every other check
            print("\n".join(error.problems))
            return 1
        print(f"Please fix the configuration: {error}", file=sys.stderr)
        return 2
    configure_logging(settings, debug=args.debug)
    try:
        if args.db:
            settings = settings.model_copy(update={"database_url": args.db})
        name = args.command if args.command in COMMANDS else f"{args.command} {_sub(args)}"
        return COMMANDS[name](args, settings)
    except CliMisuse as error:
        print(str(error), file=sys.stderr)
        return 2
    except Exception as error:
        if args.debug:
            raise
        print(_one_sentence(error), file=sys.stderr)
        return 1


def _sub(args: argparse.Namespace) -> str:
    return str(getattr(args, f"{args.command}_command", ""))


def _one_sentence(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "no such table" in text or ("does not exist" in text and "relation" in text):
        return "The database has no Aftercare schema yet; run 'aftercare db upgrade' first."
    return f"Sorry, that did not work: {text}"


@command("db upgrade")
def db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    upgrade(settings.database_url)
    print("The database schema is up to date.")
    return 0


@command("programme show")
def programme_show(_args: argparse.Namespace, settings: Settings) -> int:
    from bot import programme_cli

    prepare(settings)

    async def go(runtime: Runtime) -> int:
        print(await programme_cli.show(runtime))
        return 0

    return run(go, settings)


@command("say")
def say(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        try:
            reply = await runtime.say(args.email, " ".join(args.text), args.programme)
            answers = prefilled(reply.form) if reply.form is not None and reply.ok else None
            if reply.form is not None and answers is not None:  # /reflect TEXT: submit it as written
                reply = await runtime.submit_form(args.email, reply.form, answers, args.programme)
        except UnknownParticipant as error:
            raise CliMisuse(str(error)) from None
        if reply.form is None:
            print(render_text(reply))
        else:
            print(render_form(reply.form))
            if reply.form.form_id == ACK_FORM:
                print(f'To confirm you have read it: aftercare say --as {args.email} "/aftercare privacy accept"')
            else:
                print("(This needs your answers: use `aftercare console`, Slack or Teams.)")
        return 0 if reply.ok and (reply.form is None or answers is None) else 1

    return run(go, settings)


@command("console")
def console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console_session import run_console

    prepare(settings)
    return run(lambda runtime: run_console(runtime, args.email, args.programme), settings)


@command("demo")
def demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo(args.out))


if __name__ == "__main__":
    sys.exit(main())
