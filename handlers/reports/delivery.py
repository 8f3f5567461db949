"""The delivery report: for each broadcast and schedule, how many messages were sent, are waiting, failed (and
why) and, for broadcasts, were acknowledged.

These are counts of messages the bot sent, not of anything people said, so the anonymity threshold does not apply;
the report never names a recipient, and failure reasons are shown without addresses or account ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from handlers.reports.facts import Context, DeliveryLine
from handlers.reports.model import Cell, Chart, Colour, Panel, Report, Section, Series, Table, cell, plural

SHOW = 40
WAITING = ("pending", "sending", "failed")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[UTWCGD][A-Z0-9]{7,}\b|\b[0-9a-f]{8}-[0-9a-f-]{27,}\b", re.I)


def clean_reason(reason: str) -> str:
    """A failure reason without emails, Slack ids or Teams object ids, on one short line."""
    text = _ADDRESS.sub("…", " ".join(reason.split()))
    return (text[:117] + "…") if len(text) > 120 else (text or "no reason given")


def figures(line: DeliveryLine) -> tuple[int, int, int, int]:
    """sent, waiting (pending, being sent or to be retried), failed for good, cancelled."""
    counts = line.counts
    return (
        counts.get("sent", 0),
        sum(counts.get(s, 0) for s in WAITING),
        counts.get("dead", 0),
        counts.get("cancelled", 0),
    )


def build_delivery(ctx: Context, lines: Sequence[DeliveryLine]) -> Report:
    zone = ctx.programme.timezone
    broadcasts = [line for line in lines if line.kind == "broadcast"]
    schedules = [line for line in lines if line.kind == "schedule"]
    totals = [sum(values) for values in zip(*(figures(line) for line in lines), strict=False)] or [0, 0, 0, 0]
    summary = (
        f"{plural(len(broadcasts), 'broadcast')} and {plural(len(schedules), 'schedule')}: {totals[0]:,} messages "
        f"sent, {totals[1]:,} waiting and {totals[2]:,} that could not be delivered."
    )
    sections = (
        Section(heading="Broadcasts", tables=(_table("broadcasts", "Broadcasts", broadcasts, zone, acks=True),)),
        Section(
            heading="Schedules",
            tables=(_table("schedules", "Scheduled prompts and check-ins", schedules, zone, acks=False),),
        ),
        Section(heading="Why messages could not be delivered", tables=(_reasons(lines),)),
        Section(heading="Every broadcast and schedule", tables=(_csv(lines, zone),)),
    )
    return Report(
        kind="delivery",
        title="Delivery: did the messages arrive?",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=ctx.programme.governance.k,
        summary=summary if lines else "Nothing has been broadcast or scheduled yet.",
        sections=sections,
        chart=_chart(lines),
        csv_table="delivery",
        footnote="Waiting means not sent yet: due later, being sent now, or to be tried again after a failure. "
        "Could not be delivered means the platform refused for good (for example the person has left the workspace).",
    )


def _when(line: DeliveryLine, zone: str) -> str:
    return line.when.astimezone(ZoneInfo(zone)).strftime("%d %b %Y %H:%M") if line.when else ""


def _row(line: DeliveryLine, zone: str, acks: bool) -> tuple[Cell, ...]:
    sent, waiting, failed, cancelled = figures(line)
    cells = [
        cell(line.ref),
        cell(line.label),
        cell(line.audience),
        cell(_when(line, zone)),
        cell(sent),
        cell(waiting, colour="amber" if waiting else ""),
        cell(failed, colour="red" if failed else ""),
        cell(cancelled),
    ]
    if acks:
        cells.append(cell(line.acknowledged if line.acknowledged is not None else ""))
    return tuple(cells)


def _table(key: str, title: str, lines: Sequence[DeliveryLine], zone: str, *, acks: bool) -> Table:
    columns = ("Ref", "What", "Audience", "When", "Sent", "Waiting", "Could not be delivered", "Cancelled")
    return Table(
        key=key,
        title=title,
        columns=(*columns, "Acknowledged") if acks else columns,
        rows=tuple(_row(line, zone, acks) for line in lines),
        show_at_most=SHOW,
        empty=f"No {title.lower()} yet.",
    )


def _reasons(lines: Sequence[DeliveryLine]) -> Table:
    rows = tuple(
        (cell(line.ref), cell(clean_reason(reason)), cell(count, colour="red"))
        for line in lines
        for reason, count in line.reasons
    )
    return Table(
        key="reasons",
        title="Reasons given by the platform",
        columns=("Ref", "Reason", "Messages"),
        note="Messages marked 'will be tried again' are counted as waiting, the others as not delivered.",
        rows=rows,
        show_at_most=SHOW,
        empty="Every message that was tried has been delivered.",
    )


def _csv(lines: Sequence[DeliveryLine], zone: str) -> Table:
    rows = []
    for line in lines:
        sent, waiting, failed, cancelled = figures(line)
        reasons = "; ".join(f"{clean_reason(r)} ({n})" for r, n in line.reasons)
        acked = "" if line.acknowledged is None else str(line.acknowledged)
        values = (
            line.kind,
            line.ref,
            line.label,
            line.audience,
            _when(line, zone),
            sent,
            waiting,
            failed,
            cancelled,
            acked,
            reasons,
        )
        rows.append(tuple(cell(v) for v in values))
    return Table(
        key="delivery",
        title="Every broadcast and schedule",
        columns=(
            "Kind",
            "Ref",
            "What",
            "Audience",
            "When",
            "Sent",
            "Waiting",
            "Could not be delivered",
            "Cancelled",
            "Acknowledged",
            "Reasons",
        ),
        rows=tuple(rows),
        show_at_most=0,
    )


def _chart(lines: Sequence[DeliveryLine]) -> Chart:
    recent = list(lines)[:20]
    names = ("Sent", "Waiting", "Could not be delivered")
    colours: tuple[Colour, ...] = ("green", "amber", "red")
    series = tuple(
        Series(label=name, values=tuple(float(figures(line)[i]) for line in recent), colour=colour)
        for i, (name, colour) in enumerate(zip(names, colours, strict=True))
    )
    return Chart(
        kind="bars",
        title="Messages sent, waiting and not delivered, by broadcast and schedule",
        x_label="Number of messages",
        y_label="Broadcast or schedule",
        panels=(Panel(title="", categories=tuple(line.ref for line in recent), series=series),),
        alt="Stacked bar chart of messages sent, waiting and not delivered for each recent broadcast and schedule.",
    )
