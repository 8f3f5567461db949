"""One command grammar for every surface (CONTRACT §5).

Adapters hand over the command word (``actions``, ``aftercare``, ``reflect``, ``checkin``, ``broadcast``, with or
without the slash) and the rest of the text; ``parse`` returns a typed command or raises ``UserFacingError`` with a
one-sentence answer that names what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from typing import Literal

from handlers.errors import UserFacingError
from handlers.model import Frozen, Status
from handlers.reply import Command, rich
from handlers.vocabulary import did_you_mean, parse_date, parse_status

ACTION_CODE = re.compile(r"^[A-Za-z]{1,4}\d{1,4}[A-Za-z]?$")
LIST_SCOPES = ("mine", "team", "agency", "all", "overdue", "blocked")
REPORT_KINDS = ("assurance", "themes", "indicators", "priorities", "delivery", "brief")
COMMANDS = ("aftercare", "actions", "reflect", "checkin", "broadcast")
AFTERCARE_WORDS = ("help", "privacy", "whoami", "away", "back", "peers", "report", "schedule", "plan")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
AUDIENCE_PART = re.compile(r"^(all|agency:[\w-]+|team:[\w-]+|role:[\w-]+|forum:[\w-]+|#[\w-]+)$")
PROMPT_ID = re.compile(r"PR-\d+", re.IGNORECASE)
AUDIENCE_HELP = "use all, agency:ID, team:ID, role:ROLE, forum:ID or #channel, joined with commas"


class Help(Frozen):
    kind: Literal["help"] = "help"


class Privacy(Frozen):
    kind: Literal["privacy"] = "privacy"


class AcceptPrivacy(Frozen):
    kind: Literal["accept_privacy"] = "accept_privacy"


class WhoAmI(Frozen):
    kind: Literal["whoami"] = "whoami"


class Away(Frozen):
    kind: Literal["away"] = "away"
    until: dt.date


class Back(Frozen):
    kind: Literal["back"] = "back"


class Peers(Frozen):
    kind: Literal["peers"] = "peers"
    opt_in: bool


class PostReport(Frozen):
    kind: Literal["report"] = "report"
    report: str


class ListActions(Frozen):
    kind: Literal["list_actions"] = "list_actions"
    scope: str = "mine"
    page: int = 1


class ShowAction(Frozen):
    kind: Literal["show_action"] = "show_action"
    code: str


class SetStatus(Frozen):
    kind: Literal["set_status"] = "set_status"
    code: str
    status: Status
    note: str = ""


class AddText(Frozen):
    kind: Literal["add_text"] = "add_text"
    code: str
    field: Literal["note", "evidence", "impact"]
    text: str


class SetDue(Frozen):
    kind: Literal["set_due"] = "set_due"
    code: str
    due: dt.date


class SetOwner(Frozen):
    kind: Literal["set_owner"] = "set_owner"
    code: str
    email: str


class Reflect(Frozen):
    kind: Literal["reflect"] = "reflect"
    text: str = ""


class Checkin(Frozen):
    kind: Literal["checkin"] = "checkin"


class Broadcast(Frozen):
    kind: Literal["broadcast"] = "broadcast"
    audience: tuple[str, ...]
    prompt_id: str = ""
    text: str = ""
    at: tuple[str, ...] | None = None  # the words after "at", read in the programme's zone by the handler


class ScheduleAdmin(Frozen):
    """/aftercare schedule [list] | pause KEY | resume KEY | move KEY WHEN (facilitators)."""

    kind: Literal["schedule"] = "schedule"
    verb: Literal["list", "pause", "resume", "move"] = "list"
    key: str = ""
    when: str = ""


class PlanDownload(Frozen):
    """/aftercare plan: the current action plan as a spreadsheet (leads and facilitators)."""

    kind: Literal["plan"] = "plan"


class BroadcastAdmin(Frozen):
    kind: Literal["broadcast_admin"] = "broadcast_admin"
    verb: Literal["list", "status", "cancel", "confirm"]
    broadcast_id: str = ""


class BroadcastChange(Frozen):
    """``/broadcast edit B2 "new text"|PR-ID`` or ``/broadcast move B2 at WHEN``, until it starts."""

    kind: Literal["broadcast_change"] = "broadcast_change"
    verb: Literal["edit", "move"]
    broadcast_id: str
    prompt_id: str = ""
    text: str = ""
    at: tuple[str, ...] = ()


Parsed = (
    Help | Privacy | AcceptPrivacy | WhoAmI | Away | Back | Peers | PostReport | ListActions | ShowAction
    | SetStatus | AddText | SetDue | SetOwner | Reflect | Checkin | Broadcast | BroadcastAdmin | BroadcastChange
    | ScheduleAdmin | PlanDownload
)  # fmt: skip


def parse(command: str, text: str) -> Parsed:
    """Turn a command word and its text into a typed command."""
    name = command.strip().lstrip("/").lower()
    words = text.split()
    if name == "aftercare":
        return parse_aftercare(words)
    if name == "actions":
        return parse_actions(text.strip())
    if name == "reflect":
        return Reflect(text=text.strip())
    if name == "checkin":
        if words:
            raise UserFacingError(
                (Command("checkin"), " takes no words after it; it opens this cycle's short check-in.")
            )
        return Checkin()
    if name == "broadcast":
        return parse_broadcast(text.strip())
    raise UserFacingError(
        rich(
            "There is no command ",
            Command(name),
            f".{did_you_mean(name, list(COMMANDS))} Try ",
            Command("aftercare help"),
            " to see them all.",
        )
    )


def parse_aftercare(words: list[str]) -> Parsed:
    if not words or words[0].lower() == "help":
        return Help()
    head, rest = words[0].lower(), words[1:]
    if head == "privacy":
        if rest and rest[0].lower() in ("accept", "agree", "ok"):
            return AcceptPrivacy()
        return Privacy()
    if head == "whoami":
        return WhoAmI()
    if head == "back":
        return Back()
    if head == "away":
        if len(rest) == 2 and rest[0].lower() == "until":
            day = parse_date(rest[1])
            if day is not None:
                return Away(until=day)
        raise UserFacingError(
            ("To pause prompts, write ", Command("aftercare away until YYYY-MM-DD"), ", for example 2026-12-31.")
        )
    if head == "peers":
        if len(rest) == 1 and rest[0].lower() in ("on", "off"):
            return Peers(opt_in=rest[0].lower() == "on")
        raise UserFacingError(
            (
                "Write ",
                Command("aftercare peers on"),
                " to join peer-learning pairs, or ",
                Command("aftercare peers off"),
                " to stop.",
            )
        )
    if head in ("schedule", "schedules"):
        return parse_schedule(rest)
    if head == "plan" and not rest:
        return PlanDownload()
    if head == "report":
        if len(rest) == 1 and rest[0].lower() in REPORT_KINDS:
            return PostReport(report=rest[0].lower())
        given = rest[0].lower() if rest else ""
        raise UserFacingError(
            (
                f"Reports are: {', '.join(REPORT_KINDS)}.{did_you_mean(given, list(REPORT_KINDS))}"
                " Write, for example, ",
                Command("aftercare report assurance"),
                ".",
            )
        )
    raise UserFacingError(
        rich(
            "I don't know '",
            Command(f"aftercare {head}"),
            f"'.{did_you_mean(head, list(AFTERCARE_WORDS))} Try ",
            Command("aftercare help"),
            ", privacy, whoami, away, back, peers or report.",
        )
    )


def parse_schedule(words: list[str]) -> Parsed:
    verb = words[0].lower() if words else "list"
    if verb == "list" and len(words) <= 1:
        return ScheduleAdmin()
    if verb in ("pause", "resume") and len(words) == 2:
        return ScheduleAdmin(verb=verb, key=words[1])
    if verb == "move" and len(words) >= 3:
        return ScheduleAdmin(verb="move", key=words[1], when=" ".join(words[2:]))
    raise UserFacingError(
        (
            "Write ",
            Command("aftercare schedule"),
            " to list the schedules, ",
            Command("aftercare schedule pause KEY"),
            " or resume KEY, or ",
            Command('aftercare schedule move KEY "weekly on MO at 09:00"'),
            " (a check-in: move checkin.CI-6 2026-09-01).",
        )
    )


def parse_actions(text: str) -> Parsed:
    words = text.split()
    if not words:
        return ListActions()
    head = words[0].lower()
    if head in LIST_SCOPES:
        return ListActions(scope=head, page=_page(words[1:]))
    if not ACTION_CODE.match(words[0]):
        raise UserFacingError(
            (
                f"There is no list or action called '{words[0]}'.{did_you_mean(head, list(LIST_SCOPES))} Try ",
                Command("actions mine"),
                ", team, agency, all, overdue or blocked, or an action code such as A07.",
            )
        )
    code = words[0].upper()
    if len(words) == 1:
        return ShowAction(code=code)
    return parse_action_change(code, words[1:], text)


def example_due_date() -> str:
    """A due date for examples in answers: the last day of the month three months from today, so never past.
    (The parser has no clock of its own; an example needs no simulated time.)"""
    ahead = dt.datetime.now(dt.UTC).date().replace(day=1) + dt.timedelta(days=31 * 4)
    return f"{ahead.replace(day=1) - dt.timedelta(days=1)}"


def parse_action_change(code: str, words: list[str], text: str) -> Parsed:
    verb = words[0].lower()
    rest = " ".join(words[1:]).strip()
    if verb in ("note", "evidence", "impact"):
        if not rest:
            raise UserFacingError(
                (f"Please add the {verb} text after the word, e.g. ", Command(f"actions {code} {verb} ..."))
            )
        return AddText(code=code, field=verb, text=_original_tail(text, 2))
    if verb == "due":
        day = parse_date(words[1]) if len(words) >= 2 else None
        if day is not None and len(words) > 2:
            raise UserFacingError(
                (
                    "A new due date takes no note after it, so nothing has changed; write ",
                    Command(f"actions {code} due {day}"),
                    ", then ",
                    Command(f"actions {code} note"),
                    " with the reason.",
                )
            )
        if day is None:
            raise UserFacingError(
                (
                    "Please give the new due date as YYYY-MM-DD, e.g. ",
                    Command(f"actions {code} due {example_due_date()}"),
                    ".",
                )
            )
        return SetDue(code=code, due=day)
    if verb == "owner":
        if len(words) != 2 or not EMAIL.match(words[1]):
            raise UserFacingError(
                ("Please give the new owner's email, e.g. ", Command(f"actions {code} owner name@agency.org"), ".")
            )
        return SetOwner(code=code, email=words[1].lower())
    for width in (2, 1):
        if len(words) >= width:
            status = parse_status(" ".join(words[:width]))
            if status is not None:
                return SetStatus(code=code, status=status, note=_original_tail(text, 1 + width))
    words_known = [s.value for s in Status] + ["done", "green", "amber", "red", "note", "evidence", "impact"]
    raise UserFacingError(
        f"'{words[0]}' is not a status or change I know.{did_you_mean(verb, words_known)} Use a status "
        "(not_started, on_track, at_risk, off_track, blocked, complete, closed, superseded), "
        "or note, evidence, impact, due or owner."
    )


BROADCAST_USAGE = (
    "Write ",
    Command("broadcast AUDIENCE PROMPT-ID"),
    " or ",
    Command('broadcast AUDIENCE "text"'),
    ' (add "at tomorrow 10:00" to schedule it), or ',
    Command("broadcast list"),
    ", status, confirm, edit, move or cancel.",
)


def parse_broadcast(text: str) -> Parsed:
    words = text.split()
    if not words:
        raise UserFacingError(BROADCAST_USAGE)
    head = words[0].lower()
    if head == "list" and len(words) == 1:
        return BroadcastAdmin(verb="list")
    if head in ("status", "cancel", "confirm"):
        if len(words) != 2:
            raise UserFacingError(("Please name the broadcast, e.g. ", Command(f"broadcast {head} B12"), "."))
        return BroadcastAdmin(verb=head, broadcast_id=words[1].upper())
    parts = _shell_words(text)
    if head in ("edit", "move"):
        return _broadcast_change(head, parts[1:], text)
    audience = tuple(part.strip() for part in parts[0].split(",") if part.strip())
    bad = [part for part in audience if not AUDIENCE_PART.match(part)]
    if bad or not audience:
        raise UserFacingError(f"'{bad[0] if bad else parts[0]}' is not an audience; {AUDIENCE_HELP}.")
    message, at = _message_and_time(parts[1:])
    if message is None:
        raise UserFacingError('After the audience, give one prompt id (e.g. PR-12) or the text in "quotes".')
    prompt_id, words_given = _prompt_or_text(message, text)
    return Broadcast(audience=audience, prompt_id=prompt_id, text=words_given, at=at)


def _broadcast_change(verb: str, parts: list[str], text: str) -> BroadcastChange:
    if not parts:
        raise UserFacingError(("Please name the broadcast, e.g. ", Command(f"broadcast {verb} B12"), "."))
    label = parts[0].upper()
    if verb == "move":
        if len(parts) < 2 or parts[1].lower() != "at":
            raise UserFacingError(("Please say when, e.g. ", Command(f"broadcast move {label} at tomorrow 10:00"), "."))
        return BroadcastChange(verb="move", broadcast_id=label, at=tuple(parts[2:]))
    if len(parts) != 2:
        raise UserFacingError(
            (
                'Please give the new text in "quotes" or a prompt id, e.g. ',
                Command(f"broadcast edit {label} PR-12"),
                ".",
            )
        )
    prompt_id, words_given = _prompt_or_text(parts[1], text)
    return BroadcastChange(verb="edit", broadcast_id=label, prompt_id=prompt_id, text=words_given)


def _shell_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        raise UserFacingError(
            'The message text needs a closing quotation mark, e.g. "Please read the brief".'
        ) from None


def _message_and_time(rest: list[str]) -> tuple[str | None, tuple[str, ...] | None]:
    """The one message word (a prompt id or the quoted text) and the words after ``at``, if any."""
    if len(rest) >= 2 and rest[1].lower() == "at":
        return rest[0], tuple(rest[2:])
    return (rest[0], None) if len(rest) == 1 else (None, None)


def _prompt_or_text(message: str, text: str) -> tuple[str, str]:
    if PROMPT_ID.fullmatch(message) and '"' not in text:
        return message.upper(), ""
    return "", message


MAX_PAGE = 10_000  # a page number past this is a typing slip, and would not fit a database integer if huge


def page_number(value: str) -> int:
    """A page number carried by a button: 1 unless it is a plain number from 1 to MAX_PAGE."""
    text = value.strip()
    if re.fullmatch(r"[0-9]{1,6}", text) and 1 <= int(text) <= MAX_PAGE:
        return int(text)
    return 1


def _page(words: list[str]) -> int:
    if not words:
        return 1
    number = words[-1]
    if len(words) in (1, 2) and re.fullmatch(r"[0-9]+", number) and (len(words) == 1 or words[0].lower() == "page"):
        if len(number.lstrip("0")) > len(str(MAX_PAGE)) or int(number) > MAX_PAGE:
            raise UserFacingError(f"There are never more than {MAX_PAGE:,} pages; please choose a smaller page number.")
        if int(number) < 1:
            raise UserFacingError(("Pages start at 1, e.g. ", Command("actions all page 1"), "."))
        return int(number)
    raise UserFacingError(("To see more, add a page number, e.g. ", Command("actions all page 2"), "."))


def _original_tail(text: str, skip: int) -> str:
    """The text after the first ``skip`` words, with the author's own spacing and capitals kept."""
    parts = text.strip().split(maxsplit=skip)
    return parts[skip].strip() if len(parts) > skip else ""
