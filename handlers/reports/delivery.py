"""The delivery report: for each broadcast and schedule, how many messages were sent, are waiting, failed (and
why) and, for broadcasts, were acknowledged.

These are counts of messages the bot sent, not of anything people said, so the anonymity threshold does not apply;
the report never names a recipient, and failure reasons are shown without addresses or account ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from handlers.reports.facts import Context, DeliveryLine, Notice
from handlers.reports.model import Cell, Chart, Colour, Panel, Report, Section, Series, Table, cell, plural
from handlers.reports.wording import audience_words, delivery_reason, platform_words, rhythm, schedule_name

SHOW = 40
WAITING = ("pending", "sending", "failed")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[UTWCGD][A-Z0-9]{7,}\b|\b[0-9a-fA-F]{8}-[0-9a-fA-F-]{27,}\b")


AGAIN = " (will be tried again)"


def clean_reason(reason: str) -> str:
    """A failure reason in plain English, without emails, Slack ids or Teams object ids, on one short line."""
    raw = " ".join(reason.split())
    later = raw.endswith(AGAIN)
    text = delivery_reason(_ADDRESS.sub("…", raw.removesuffix(AGAIN)))
    text = (text[:117] + "…") if len(text) > 120 else text
    return f"{'will be tried again' if later else 'could not be delivered'}: {text}"


def figures(line: DeliveryLine) -> tuple[int, int, int, int]:
    """sent, waiting (pending, being sent or to be retried), failed for good, cancelled."""
    counts = line.counts
    return (
        counts.get("sent", 0),
        sum(counts.get(s, 0) for s in WAITING),
        counts.get("dead", 0),
        counts.get("cancelled", 0),
    )


SENT_EXPLAINED = (
    ("Sent", "messages the platform accepted."),
    ("Waiting", "due later, being sent now, or to be tried again."),
    ("Could not be delivered", "refused for good (the reasons are below)."),
    ("Cancelled", "withdrawn before they were sent."),
)


def build_delivery(ctx: Context, lines: Sequence[DeliveryLine], notices: Sequence[Notice] = ()) -> Report:
    zone = ctx.programme.timezone
    broadcasts = [line for line in lines if line.kind == "broadcast"]
    schedules = [line for line in lines if line.kind == "schedule"]
    tables = (_broadcasts(ctx, broadcasts, zone), _schedules(ctx, schedules, zone), _notices(notices, zone))
    sections = (
        Section(heading="Broadcasts", tables=(tables[0],)),
        Section(heading="Scheduled messages", paragraphs=(_SCHEDULE_INTRO,), tables=(tables[1],)),
        Section(heading="Safeguarding notices", paragraphs=(_NOTICE_INTRO,), tables=(tables[2],)),
        Section(heading="Why messages could not be delivered", tables=(_reasons(ctx, lines),)),
    )
    return Report(
        kind="delivery",
        title="Delivery: did the messages arrive?",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=ctx.programme.governance.k,
        summary=headline(*tables) if lines or notices else "Nothing has been broadcast or scheduled yet.",
        sections=sections,
        chart=_chart(ctx, lines),
        csv_table="delivery",
        data=(_csv(ctx, lines, zone),),
        footnote=f"Times are {zone} time. Waiting means not sent yet: due later, being sent now, or to be tried "
        "again after a failure. Could not be delivered means the platform refused for good (for example the person "
        "has left the workspace).",
    )


_SCHEDULE_INTRO = "Each scheduled message goes out at the time named, in each person's own time zone and working hours."
_NOTICE_INTRO = (
    "When someone asks for help to raise a possible safeguarding concern, the programme's safeguarding contact is "
    "told at once, whatever the hour. Only when and how is shown here."
)


def headline(broadcasts: Table, schedules: Table, notices: Table) -> str:
    """The summary, added up from the tables the report shows."""
    figures = [0, 0, 0]
    for table, columns in ((broadcasts, (4, 5, 6)), (schedules, (4, 5, 6))):
        for row in table.rows:
            for i, column in enumerate(columns):
                figures[i] += int(row[column].text.replace(",", ""))
    for row in notices.rows:
        figures[{"delivered": 0, "waiting": 1}.get(row[3].text.split(":")[0], 2)] += 1
    return (
        f"{plural(len(broadcasts.rows), 'broadcast')}, {plural(len(schedules.rows), 'scheduled message')} and "
        f"{plural(len(notices.rows), 'safeguarding notice')}: {figures[0]:,} messages sent, {figures[1]:,} waiting "
        f"and {figures[2]:,} that could not be delivered."
    )


def _when(moment: dt.datetime | None, zone: str, *, time: bool = True) -> str:
    if moment is None:
        return "not yet"
    return moment.astimezone(ZoneInfo(zone)).strftime("%-d %b %Y %H:%M" if time else "%-d %b %Y")


def _counts(line: DeliveryLine) -> list[Cell]:
    sent, waiting, failed, cancelled = figures(line)
    return [
        cell(f"{sent:,}"),
        cell(f"{waiting:,}", colour="amber" if waiting else ""),
        cell(f"{failed:,}", colour="red" if failed else ""),
        cell(f"{cancelled:,}"),
    ]


def broadcast_what(ctx: Context, line: DeliveryLine) -> str:
    if line.prompt_id:
        words = ctx.prompt_text(line.prompt_id).split()
        return "Reflection prompt: " + (" ".join(words[:10]) + (" …" if len(words) > 10 else "") or "from the library")
    return line.label


def schedule_what(ctx: Context, line: DeliveryLine) -> str:
    name = schedule_name(ctx, line.schedule_kind, line.cycle, line.prompt_audience)
    return name + ("" if line.active else " (paused)")


def _broadcasts(ctx: Context, lines: Sequence[DeliveryLine], zone: str) -> Table:
    rows = tuple(
        (
            cell(line.ref),
            cell(broadcast_what(ctx, line)),
            cell(audience_words(ctx, line.audience_parts)),
            cell(_when(line.when, zone)),
            *_counts(line),
            cell(f"{line.acknowledged or 0:,}"),
        )
        for line in lines
    )
    return Table(
        key="broadcasts",
        title="Broadcasts",
        columns=("Broadcast", "What was sent", "To", "When", *COUNT_COLUMNS, "Acknowledged"),
        rows=rows,
        show_at_most=SHOW,
        empty="No broadcasts yet.",
        explain=(
            ("Broadcast", "its number in the list facilitators see."),
            ("What was sent", "the prompt or the message's first words."),
            ("To", "who it was for."),
            ("When", f"the time it was set to go ({zone})."),
            *SENT_EXPLAINED,
            ("Acknowledged", "how many people pressed 'Got it'."),
        ),
    )


COUNT_COLUMNS = ("Sent", "Waiting", "Could not be delivered", "Cancelled")


def _schedules(ctx: Context, lines: Sequence[DeliveryLine], zone: str) -> Table:
    rows = tuple(
        (
            cell(schedule_what(ctx, line)),
            cell(rhythm(ctx, line.rule)),
            cell(audience_words(ctx, line.audience_parts)),
            cell(_when(line.last_sent, zone, time=False)),
            *_counts(line),
        )
        for line in lines
    )
    return Table(
        key="schedules",
        title="Scheduled messages",
        columns=("Schedule", "When it goes", "To", "Last sent", *COUNT_COLUMNS),
        rows=rows,
        show_at_most=SHOW,
        empty="No scheduled messages yet.",
        explain=(
            ("Schedule", "what is sent."),
            ("When it goes", "its rhythm, in each person's local time."),
            ("To", "who receives it."),
            ("Last sent", "the day the latest one went."),
            *SENT_EXPLAINED,
        ),
    )


def _notices(notices: Sequence[Notice], zone: str) -> Table:
    rows = tuple(
        (
            cell(_when(notice.due, zone)),
            cell("The programme's safeguarding contact"),
            cell(platform_words(notice.platform)),
            _outcome(notice, zone),
        )
        for notice in notices
    )
    return Table(
        key="notices",
        title="Notices to the safeguarding contact",
        columns=("Raised", "To", "Route", "Outcome"),
        rows=rows,
        show_at_most=SHOW,
        empty="No safeguarding notice has been needed.",
        explain=(
            ("Raised", "when the person asked for help."),
            ("To", "who was told."),
            ("Route", "how the notice was sent."),
            ("Outcome", "whether it arrived, and when."),
        ),
    )


def _outcome(notice: Notice, zone: str) -> Cell:
    if notice.status == "sent":
        return cell(f"delivered: {_when(notice.sent, zone)}")
    if notice.status in WAITING:
        return cell("waiting: to be sent or tried again", colour="amber")
    return cell(clean_reason(notice.reason or "no reason given"), colour="red")


def _reasons(ctx: Context, lines: Sequence[DeliveryLine]) -> Table:
    rows = tuple(
        (cell(_name(ctx, line)), cell(clean_reason(reason)), cell(f"{count:,}", colour="red"))
        for line in lines
        for reason, count in line.reasons
    )
    return Table(
        key="reasons",
        title="Reasons given by the platform",
        columns=("Broadcast or schedule", "What happened", "Messages"),
        rows=rows,
        show_at_most=SHOW,
        empty="Every message that was tried has been delivered.",
        explain=(
            ("Broadcast or schedule", "where the messages came from."),
            ("What happened", "the platform's reason, in plain words."),
            ("Messages", "how many messages it affected."),
        ),
    )


def _name(ctx: Context, line: DeliveryLine) -> str:
    return f"Broadcast {line.ref}" if line.kind == "broadcast" else schedule_what(ctx, line)


def _csv(ctx: Context, lines: Sequence[DeliveryLine], zone: str) -> Table:
    rows = []
    for line in lines:
        sent, waiting, failed, cancelled = figures(line)
        broadcast = line.kind == "broadcast"
        values = (
            "broadcast" if broadcast else "schedule",
            _name(ctx, line),
            broadcast_what(ctx, line) if broadcast else rhythm(ctx, line.rule),
            audience_words(ctx, line.audience_parts),
            _when(line.when if broadcast else line.last_sent, zone),
            sent,
            waiting,
            failed,
            cancelled,
            "" if line.acknowledged is None else line.acknowledged,
            "; ".join(f"{clean_reason(r)} ({n})" for r, n in line.reasons),
        )
        rows.append(tuple(cell(v) for v in values))
    columns = ("Kind", "Name", "What or when", "To", "Sent at or last sent", *COUNT_COLUMNS, "Acknowledged")
    return Table(key="delivery", title="Every broadcast and schedule", columns=(*columns, "Reasons"), rows=tuple(rows))


def _chart(ctx: Context, lines: Sequence[DeliveryLine]) -> Chart:
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
        panels=(Panel(title="", categories=tuple(_name(ctx, line) for line in recent), series=series),),
        alt="Stacked bar chart of messages sent, waiting and not delivered for each recent broadcast and schedule: "
        + "; ".join(
            f"{_name(ctx, line)}: {figures(line)[0]} sent, {figures(line)[1]} waiting, {figures(line)[2]} not delivered"
            for line in recent
        ),
    )
