"""`aftercare screen`, `aftercare purge` and `aftercare erase --participant EMAIL`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli_support import CliMisuse, command, prepare, run
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.screen import Outcome, screen
from storage.retention import daily_anonymity_job, erase_then_compact

OUTCOME_WORDS = {
    Outcome.HOLD: "hold (not stored; the routes are shown)",
    Outcome.ASK: "ask (the author must say whether a child is at risk now before it is stored)",
    Outcome.STORE: "store",
}


def add_parsers(sub: Any) -> None:
    check = sub.add_parser("screen", help="run the reflection screen on a text without storing anything")
    check.add_argument("text", nargs="+")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--never-store", action="append", default=[], metavar="TERM", help="a never-store term")
    check.add_argument("--known-name", action="append", default=[], metavar="NAME", help="a roster name")
    sub.add_parser(
        "purge", help="the daily anonymity and retention job: retention, closed cycles' keys, random-order rewrite"
    )
    erase = sub.add_parser("erase", help="erase one participant's personal data")
    erase.add_argument("--participant", required=True, metavar="EMAIL")


@command("screen")
def screen_text(args: argparse.Namespace, _settings: Settings) -> int:
    result = screen(" ".join(args.text), args.never_store, args.known_name)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        return 0
    kinds = ", ".join(sorted({f.kind.value for f in result.identifiers})) or "none"
    print(f"Identifiers: {kinds}")
    print(f"Live risk: {'yes' if result.live_risk else 'no'}")
    print(f"Outcome: {OUTCOME_WORDS[result.outcome]}")
    print(f"Distress: {'yes' if result.distress else 'no'}")
    print(f"Redacted: {result.redacted}")
    return 0


@command("purge")
def purge_now(_args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        done = await daily_anonymity_job(runtime.engine, runtime.clock.now().date())
        print(
            f"Deleted the text of {done.texts_deleted} reflection(s) past retention; folded "
            f"{done.answers_folded} raw check-in answer(s) into totals; destroyed {done.keys_destroyed} closed cycle "
            f"key(s); unlinked {done.flags_unlinked} old safeguarding flag(s); rewrote {done.rows_rewritten} "
            "anonymous row(s) in random order."
        )
        return 0

    return run(go, settings)


@command("erase")
def erase(args: argparse.Namespace, settings: Settings) -> int:
    prepare(settings)

    async def go(runtime: Runtime) -> int:
        erased = await erase_then_compact(runtime.engine, args.participant, runtime.secret)
        if erased == 0:
            raise CliMisuse(f"Nobody with the email {args.participant} is in a loaded programme.")
        print(f"Erased {args.participant} from {erased} programme(s). Reflections never held their identity.")
        return 0

    return run(go, settings)
