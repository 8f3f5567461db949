"""Plain words for what reports show about delivery: schedules by name and rhythm, audiences by who they are, and
why a message could not be delivered, in English a board member reads without a glossary.

Nothing here shows an internal key, a platform error code or a hash: an unknown platform reason becomes a general
sentence rather than the code itself.
"""

from __future__ import annotations

import datetime as dt
import re

from handlers.recurrence import Recurrence, RecurrenceKind, parse_recurrence
from handlers.reports.facts import Context

DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
ROLES = {"practitioner": "practitioners", "manager": "managers", "lead": "leads", "facilitator": "facilitators"}
SCHEDULES = {
    "action_checkin": "Action check-in to each action owner",
    "drift": "Reminder about actions with no recent update",
    "overdue": "Summary of overdue actions",
    "milestone": "Message for a date in the review's life",
    "peers": "Peer-learning pairs",
}
CYCLES = {"baseline": "Baseline check-in", "checkin_3m": "3-month check-in", "checkin_6m": "6-month check-in"}
REASONS = {
    "bot_blocked": "the person has blocked the bot",
    "user_not_found": "the person has left the workspace",
    "users_not_found": "the person has left the workspace",
    "account_inactive": "the person's account has been deactivated",
    "user_disabled": "the person's account has been deactivated",
    "channel_not_found": "the channel no longer exists",
    "is_archived": "the channel has been archived",
    "not_in_channel": "the bot has not been added to the channel",
    "cannot_dm_bot": "the address belongs to another bot",
    "token_revoked": "the app has been removed from the workspace",
    "team_not_found": "the workspace no longer exists",
    "msg_too_long": "the message was too long for Slack",
    "invalid_blocks": "Slack could not read the message",
    "no_text": "Slack could not read the message",
    "ratelimited": "the platform asked us to slow down",
    "cancelled by a facilitator": "a facilitator cancelled it",
}
_TEAMS = re.compile(r"^Teams answered (\d{3})(?: \w+)?(?:: (.+))?$")
_CODE = re.compile(r"^[A-Za-z_]+$")


def delivery_reason(raw: str) -> str:
    """A platform's reason for not delivering, in plain English."""
    reason = " ".join(raw.split())
    if reason in REASONS:
        return REASONS[reason]
    first = reason.split(" ", 1)[0]
    if first in REASONS and "_" in first:  # "user_not_found for …": the code says it all
        return REASONS[first]
    teams = _TEAMS.match(reason)
    if teams:
        status, said = teams.groups()
        if said:
            return said
        return "Teams was briefly unavailable" if status.startswith("5") or status == "429" else "Teams refused it"
    if reason.startswith("Teams could not be reached"):
        return "Teams could not be reached"
    if reason.startswith("HTTP 5") or not reason:
        return "the platform had a temporary fault" if reason else "no reason was given"
    if _CODE.match(reason):
        return "the platform refused it for a reason it did not explain"
    return reason


def audience_words(ctx: Context, parts: tuple[str, ...]) -> str:
    """'Everyone', 'Practitioners, managers and leads', 'Kestermoor Police and the Front Door team'."""
    words = [_part(ctx, part) for part in parts]
    if not words:
        return "As scheduled"
    text = ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]
    return text[0].upper() + text[1:]


def _part(ctx: Context, part: str) -> str:
    kind, _, value = part.partition(":")
    if part == "all":
        return "everyone"
    if kind == "role":
        return ROLES.get(value, value.replace("_", " ") + "s")
    if kind == "agency":
        return ctx.agency_name(value)
    if kind == "team":
        return ctx.team_name(value)
    if kind == "forum":
        return f"the {value.replace('_', ' ').replace('-', ' ')} forum"
    if part.startswith("#"):
        return f"the {part} channel"
    return part


def schedule_name(ctx: Context, kind: str, cycle: str, prompt_audience: str | None) -> str:
    if kind == "prompts":
        who = ROLES.get(prompt_audience or "", "everyone, by role")
        return f"Reflection prompts for {who}"
    if kind == "checkin":
        found = next((c for c in ctx.programme.checkins if c.code == cycle), None)
        name = CYCLES.get(found.kind, "Check-in") if found else "Check-in"
        return f"{name} {cycle}".strip()
    return SCHEDULES.get(kind, kind.replace("_", " ").capitalize())


def rhythm(ctx: Context, rule: str) -> str:
    """'weekly, Mondays at 10:00', 'every 2 weeks, Tuesdays at 10:00', 'once, 2 February 2026 at 10:00'."""
    try:
        found = parse_recurrence(rule)
    except ValueError:
        return "on its own timetable"
    at = f"at {found.at:%H:%M}"
    if found.kind is RecurrenceKind.WEEKLY:
        days = " and ".join(DAYS[d] for d in found.weekdays)
        return f"{'weekly' if found.every == 1 else f'every {found.every} weeks'}, {days} {at}"
    if found.kind is RecurrenceKind.MONTHLY:
        return f"{'monthly' if found.every == 1 else f'every {found.every} months'}, on day {found.month_day} {at}"
    return _once(ctx, found, at)


def _once(ctx: Context, found: Recurrence, at: str) -> str:
    day = milestone_date(ctx, found.milestone or "")
    if day is None:
        return f"once, {found.offset_days or 0} days after a date not yet set, {at}"
    return f"once, {day + dt.timedelta(days=found.offset_days or 0):%-d %B %Y} {at}"


def milestone_date(ctx: Context, key: str) -> dt.date | None:
    found = next((m.date for m in ctx.programme.milestones if m.key == key), None)
    if found is None and key.startswith("checkin."):
        found = next((c.date for c in ctx.programme.checkins if c.code == key.partition(".")[2]), None)
    return found


def platform_words(platform: str) -> str:
    return {"slack": "Slack message", "teams": "Teams chat", "console": "console"}.get(platform, platform)
