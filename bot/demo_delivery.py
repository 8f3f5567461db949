"""Demo scenes for scheduling and delivery: everything goes through the outbox and arrives by the console channel.

Each scene fires the programme's own schedules (or a facilitator's broadcast) into the outbox, then runs the same
dispatcher as `aftercare worker`, with the console channel standing in for Slack and Teams. Messages due outside
someone's working hours, on a bank holiday of their region or during their leave wait, and go later.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.console import render_text
from bot.console_channel import ConsoleChannel, Delivered
from bot.delivery import Dispatcher
from bot.demo import LONDON, Demo
from bot.firing import Firer
from bot.holiday_calendar import HolidaysCalendar
from handlers.action_views import ACTION_STATUS_BUTTON
from handlers.audiences import address_of
from handlers.broadcast_views import ACK_BUTTON, SEND_BUTTON
from handlers.library import Stage
from handlers.model import Participant, Role
from handlers.recurrence import next_occurrence
from handlers.schedules import milestone_dates, specs_for
from storage.delivery_models import DeliveryRow
from storage.models import ParticipantRow
from storage.repositories import schedules as stored

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Post:
    """The console channel for every platform, showing a few deliveries in full and counting the rest."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.runtime = demo.runtime
        self.channel = ConsoleChannel(demo.clock, show=self._show)
        channels = {"slack": self.channel, "teams": self.channel, "console": self.channel}
        self.dispatcher = Dispatcher(
            self.runtime.sessions, channels, calendar=HolidaysCalendar(), clock=demo.clock, secret=self.runtime.secret
        )
        self.firer = Firer(self.runtime.sessions, demo.clock, demo.library)
        self.delivered: list[Delivered] = []
        self.full = self.lines = 0

    def _show(self, delivered: Delivered) -> None:
        self.demo.log.count("messages delivered through the outbox")
        self.delivered.append(delivered)
        if len(self.delivered) > self.full + self.lines:
            return
        who = next((p for p in self.demo.people if p.id == delivered.recipient.participant_id), None)
        local = delivered.at.astimezone(LONDON if who is None else ZoneInfo(who.timezone))
        name = f"{who.name} ({_hours(who)})" if who else delivered.recipient.address
        self.demo.log.say(f"   📬 {local:%a %d %b %H:%M} their time, to {name} by {delivered.recipient.platform}")
        if len(self.delivered) <= self.full:
            self.demo.log.bot(render_text(delivered.reply))

    async def deliver(self, note: str, *, full: int = 1, lines: int = 2) -> list[Delivered]:
        """Run the dispatcher once: show ``full`` messages in full and ``lines`` more in one line each."""
        self.delivered, self.full, self.lines = [], full, lines
        sent = await self.dispatcher.drain()
        self.demo.log.say(f"   ✔ {sent} {note}")
        return self.delivered

    async def deliver_waiting(self, until: dt.datetime | None = None) -> None:
        """Move the clock to each waiting message's time and deliver it, as a running worker would."""
        until = until or self.demo.clock.now() + dt.timedelta(days=14)
        while (waiting := await self.waiting()) and waiting[0][1] <= until:
            self.demo.clock.set(waiting[0][1] + dt.timedelta(minutes=1))
            self.delivered, self.full, self.lines = [], 0, 3
            await self.dispatcher.drain()

    async def fire(self, key: str) -> int:
        """Fire a schedule in every time zone whose local time for it has come."""
        async with self.runtime.sessions() as session, session.begin():
            for programme, documents in await stored.programmes_with_schedules(session):
                await stored.sync_schedules(
                    session, programme.id, specs_for(programme, documents), self.demo.clock.now()
                )
            schedule = await stored.schedule_by_key(session, self.demo.programme.id, key)
        if schedule is None:
            raise LookupError(f"The example programme has no schedule {key}.")
        written = 0
        for zone in sorted({p.timezone for p in self.demo.people}):
            written += await self.firer.fire(schedule.id, zone)
        self.demo.log.say(f"   🗓  schedule '{key}' wrote {written} messages to the outbox")
        return written

    async def say(self, email: str, line: str, *, quiet: bool = False) -> None:
        who = self.demo.person(email)
        reply = await self.runtime.say(email, line)
        self.demo.log.count("commands")
        if quiet:
            return
        self.demo.log.say(
            f"   {who.name} ({', '.join(sorted(r.value for r in who.roles))}, {who.agency}) types: {line}"
        )
        self.demo.log.bot(render_text(reply))

    async def press(self, email: str, action_id: str, value: str, label: str) -> None:
        reply = await self.runtime.press(email, action_id, value)
        self.demo.log.say(f"   {self.demo.person(email).name} presses [{label}]")
        self.demo.log.bot(render_text(reply))
        self.demo.log.count("buttons pressed")

    async def waiting(self) -> list[tuple[str, dt.datetime]]:
        """Who still has a message waiting, and until when (London time)."""
        async with self.runtime.sessions() as session:
            query = (
                select(ParticipantRow.name, DeliveryRow.not_before)
                .join(ParticipantRow, ParticipantRow.id == DeliveryRow.participant_id)
                .where(DeliveryRow.status == "pending")
                .order_by(DeliveryRow.not_before)
            )
            rows = (await session.execute(query)).all()
        return [(name, at.replace(tzinfo=dt.UTC).astimezone(LONDON)) for name, at in rows]

    async def show_waiting(self) -> None:
        waiting = await self.waiting()
        if waiting:
            first = ", ".join(f"{name} {at:%a %H:%M}" for name, at in waiting[:3])
            self.demo.log.say(f"   ⏳ {len(waiting)} wait for the next working window (London time: {first}, …)")


def _hours(person: Participant) -> str:
    pattern = person.working_pattern
    days = pattern.days
    if len(days) == 7:
        span = "every day"
    elif days == tuple(range(days[0], days[-1] + 1)):
        span = f"{DAYS[days[0]]}–{DAYS[days[-1]]}"
    else:
        span = "/".join(DAYS[d] for d in days)
    away = f", away until {person.away_until:%d %b}" if person.away_until else ""
    return f"{span} {pattern.start:%H:%M}–{pattern.end:%H:%M} {person.timezone.split('/')[-1]}{away}"


def occurrence_on_or_after(demo: Demo, key: str, day: dt.date) -> dt.date:
    spec = next(s for s in specs_for(demo.programme, []) if s.key == key)
    after = dt.datetime.combine(day, dt.time(0), LONDON) - dt.timedelta(minutes=1)
    found = next_occurrence(spec.recurrence(), after, "Europe/London", milestone_dates(demo.programme))
    if found is None:
        raise LookupError(f"Schedule {key} has no occurrence after {day}.")
    return found.astimezone(LONDON).date()


async def prompts_through_the_outbox(demo: Demo) -> None:
    post = Post(demo)
    day = occurrence_on_or_after(demo, "prompts-practitioner", dt.date(2026, 1, 26))
    demo.at(day, 8, 30)
    why = (
        "The fortnightly practitioner prompt is written to the outbox for everyone at once, then each message goes "
        "at 10:00 in its recipient's own time zone and only inside their working hours; leave and part-time days "
        "are respected. Nothing is dropped."
    )
    demo.log.scene(day, "Prompts through the outbox", why)
    away = next(p for p in demo.people if Role.PRACTITIONER in p.roles and p.working_pattern.days == (0, 1, 2, 3, 4))
    await post.say(away.email, f"/aftercare away until {day + dt.timedelta(days=3):%Y-%m-%d}")
    demo.at(day, 10, 5)
    await post.fire("prompts-practitioner")
    await post.deliver("delivered at 10:00 in each recipient's zone (Berlin's 10:00 came an hour earlier)")
    await post.show_waiting()
    await post.deliver_waiting(until=dt.datetime.combine(day, dt.time(15), LONDON))
    demo.at(day, 15, 5)
    await post.fire("prompts-practitioner")  # 10:00 in Toronto
    await post.deliver("delivered at 10:00 in Toronto", full=0)
    await post.deliver_waiting()
    demo.log.say("   ✔ every prompt delivered, each in its recipient's working hours; none dropped, none at night")


async def easter_monday(demo: Demo) -> None:
    post = Post(demo)
    day = dt.date(2026, 4, 6)
    demo.at(day, 10, 5)
    demo.log.scene(day, "Easter Monday: action check-ins wait", "Each open action's owner is asked how it is going "
                   "every four weeks, with status buttons. Easter Monday is a bank holiday in England, Wales and "
                   "Northern Ireland, but not in Scotland, so most check-ins wait for Tuesday morning.")  # fmt: skip
    await post.fire("action-checkins")
    await post.deliver("delivered on the bank holiday itself (only where it is a working day)", full=0)
    await post.show_waiting()
    demo.at(day + dt.timedelta(days=1), 9, 1)
    delivered = await post.deliver("delivered on Tuesday morning")
    if delivered:
        recipient = delivered[0].recipient
        code = recipient.key.rsplit(":", 1)[1]
        owner = next(p for p in demo.people if p.id == recipient.participant_id)
        await post.press(owner.email, ACTION_STATUS_BUTTON, f"{code}:at_risk", "At risk")
    await post.deliver_waiting()


async def broadcast_and_acknowledgements(demo: Demo) -> None:
    post = Post(demo)
    day = dt.date(2026, 4, 21)
    demo.at(day, 10)
    demo.log.scene(day, "A broadcast, acknowledged", "The facilitator tells police colleagues and the Front Door "
                   "about the new joint protocol and asks them to acknowledge it. One person has blocked the bot: "
                   "their message is dead-lettered with the reason, never retried for ever.")  # fmt: skip
    facilitator = next(p for p in demo.people if Role.FACILITATOR in p.roles)
    await post.say(facilitator.email, '/broadcast agency:KPOL,team:T-FD "The joint missing-child protocol is '
                   'signed. Please read it before Friday: intranet > Safeguarding > Protocols."')  # fmt: skip
    await post.press(facilitator.email, SEND_BUTTON, "B1", "Send")
    recipients = [p for p in demo.people if p.agency == "KPOL" or p.team == "T-FD"]
    blocked = recipients[-1]
    post.channel.refuse[address_of(blocked)[1]] = "bot_blocked"
    await post.deliver("delivered now", full=1, lines=1)
    demo.at(day, 11, 30)
    for person in recipients[:3]:
        await post.press(person.email, ACK_BUTTON, "B1", "Acknowledge")
    for person in recipients[3:12]:
        await post.runtime.press(person.email, ACK_BUTTON, "B1")
    await post.say(facilitator.email, "/broadcast status B1")
    prompt = demo.library.prompts_for(Stage.EMBEDDING)[0]
    await post.say(facilitator.email, f"/broadcast forum:F-MA {prompt.id} at tuesday 10:00")
    await post.say(facilitator.email, "/broadcast confirm B2")
    await post.say(facilitator.email, "/broadcast move B2 at wednesday 14:00")
    await post.say(facilitator.email, "/broadcast cancel B2")


async def peer_learning(demo: Demo) -> None:
    post = Post(demo)
    day = occurrence_on_or_after(demo, "peers", dt.date(2026, 4, 22))
    demo.at(day - dt.timedelta(days=1), 12)
    demo.log.scene(day, "Peer learning across agencies", "Practitioners who opt in are paired with someone from "
                   "another agency every four weeks, never the same pair twice, and introduced with a question "
                   "to start from. Only the people paired can see who they were paired with.")  # fmt: skip
    volunteers = _one_per_agency([p for p in demo.people if Role.PRACTITIONER in p.roles], 8)
    for n, person in enumerate(volunteers):
        await post.say(person.email, "/aftercare peers on", quiet=n > 0)
    demo.log.say(f"   … and {len(volunteers) - 1} colleagues from other agencies opt in too.")
    demo.at(day, 10, 5)
    await post.fire("peers")
    await post.deliver("introductions delivered", full=1, lines=3)
    await post.deliver_waiting()


def _one_per_agency(people: list[Participant], number: int) -> list[Participant]:
    seen: Counter[str] = Counter()
    chosen: list[Participant] = []
    for person in people:
        if seen[person.agency] < 2 and len(chosen) < number:
            seen[person.agency] += 1
            chosen.append(person)
    return chosen


DELIVERY_SCENES = [prompts_through_the_outbox, easter_monday, broadcast_and_acknowledgements, peer_learning]
