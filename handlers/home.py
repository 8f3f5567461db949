"""Home: what someone sees when they open Aftercare, per role: your open actions, recent prompts, the programme's
progress; facilitators and leads also see overdue actions, and facilitators the delivery of the last seven days.

A feature like any other: a ``HomeOpened`` request (handlers/requests.py) reaches it through the one pipeline, and
it builds a neutral Reply (blocks) from the ports, including the read port ``Deps.home`` (``HomeReads``,
storage/repositories/home.py implements it). Each adapter renders it: the Slack App Home tab (views.publish) and the
Teams personal chat (one card, updated in place). Everything shown comes from the viewer's own programme. Lists are
paged: ten of your actions at a time; Previous, Next and Refresh are buttons like any other (handlers/dispatch.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from handlers.action_views import action_line, status_label
from handlers.actions import OPEN_STATUSES
from handlers.cycles import current_cycle
from handlers.grammar import page_number
from handlers.model import Participant, Programme, Role, Status
from handlers.ports import ActionFilter, Deps, HomeReads
from handlers.prompting import FOOTER, REFLECT_BUTTON
from handlers.reply import Block, Button, Command, Reply
from handlers.requests import HomeOpened
from handlers.schedule_messages import CHECKIN_BUTTON

logger = logging.getLogger(__name__)

HOME_PAGE = "home.page"  # value: the page of "your open actions" to show
HOME_REFRESH = "home.refresh"  # value: the page shown now
HOME_BUTTONS = frozenset({HOME_PAGE, HOME_REFRESH})  # answered with Home itself, shown in place of the old one
PER_PAGE = 10
RECENT_PROMPT_DAYS = 14
MAX_PROMPTS = 5
DELIVERY_DAYS = 7


async def open_home(opened: HomeOpened, actor: Participant, deps: Deps) -> Reply:
    return await home_reply(actor, deps, deps.home, page=opened.page, notice=opened.notice)


async def turn_page(value: str, actor: Participant, deps: Deps) -> Reply:
    """Previous, Next or Refresh: Home again at the page the button carries (a bad value shows the first)."""
    return await home_reply(actor, deps, deps.home, page=page_number(value))


async def home_reply(actor: Participant, deps: Deps, reads: HomeReads, *, page: int = 1, notice: str = "") -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    today = deps.clock.now().date()
    blocks: list[Block] = [
        Block(kind="header", text=f"Aftercare · {programme.name}"),
        Block(kind="context", text=f"{programme.partnership} · {programme.review_title}"),
    ]
    if notice:
        blocks.append(Block(kind="section", text=notice))
    blocks.append(
        Block(
            kind="actions",
            buttons=(
                Button(action_id=REFLECT_BUTTON, label="Reflect", style="primary"),
                Button(action_id=CHECKIN_BUTTON, label="Check in"),
                Button(action_id=HOME_REFRESH, label="Refresh", value=str(page)),
            ),
        )
    )
    blocks += await _my_actions(actor, programme, deps, today, page)
    blocks += await _prompts(actor, deps, reads, today)
    blocks += await _progress(programme, deps, today)
    if actor.has(Role.FACILITATOR, Role.LEAD):
        blocks += await _overdue(programme, deps, today)
    if actor.has(Role.FACILITATOR):
        blocks += await _delivery(programme, deps, reads)
    blocks += [Block(kind="divider"), Block(kind="context", text=FOOTER)]
    return Reply(text=f"Aftercare: {programme.name}", blocks=tuple(blocks))


async def _my_actions(actor: Participant, programme: Programme, deps: Deps, today: dt.date, page: int) -> list[Block]:
    rag = rag_of_programme(programme)
    where = ActionFilter(owner_emails=[actor.email], statuses=OPEN_STATUSES)
    total = await deps.actions.count(actor.programme_id, where)
    blocks = [Block(kind="divider"), Block(kind="header", text=f"Your open actions ({total})")]
    if total == 0:
        return [*blocks, Block(kind="section", text="You have no open actions.")]
    pages = (total + PER_PAGE - 1) // PER_PAGE
    page = max(1, min(page, pages))
    shown = await deps.actions.find(actor.programme_id, where, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    blocks.append(Block(kind="section", text="\n".join(action_line(a, today, rag) for a in shown)))
    blocks.append(
        Block(kind="context", text=(f"Page {page} of {pages} · update one with ", Command("actions CODE STATUS")))
    )
    buttons = []
    if page > 1:
        buttons.append(Button(action_id=HOME_PAGE, label="Previous", value=str(page - 1)))
    if page < pages:
        buttons.append(Button(action_id=HOME_PAGE, label="Next", value=str(page + 1)))
    if buttons:
        blocks.append(Block(kind="actions", buttons=tuple(buttons)))
    return blocks


async def _prompts(actor: Participant, deps: Deps, reads: HomeReads, today: dt.date) -> list[Block]:
    since = today - dt.timedelta(days=RECENT_PROMPT_DAYS)
    prompts = [deps.library.prompt(pid) for pid in await reads.recent_prompts(actor.id, since)]
    found = [p for p in prompts if p is not None][:MAX_PROMPTS]
    if not found:
        return []
    blocks = [Block(kind="divider"), Block(kind="header", text="Recent prompts")]
    for prompt in found:
        blocks.append(Block(kind="section", text=prompt.text))
        blocks.append(Block(kind="actions", buttons=(Button(action_id=REFLECT_BUTTON, label="Reflect",
                                                            value=prompt.id),)))  # fmt: skip
    return blocks


async def _progress(programme: Programme, deps: Deps, today: dt.date) -> list[Block]:
    counts = {s: await deps.actions.count(programme.id, ActionFilter(statuses=[s])) for s in Status}
    total = sum(counts.values())
    overdue = await deps.actions.count(programme.id, ActionFilter(statuses=OPEN_STATUSES, due_before=today))
    finished = counts[Status.COMPLETE] + counts[Status.CLOSED]
    fields = (
        ("Actions", f"{total} ({finished} complete or closed)"),
        ("Overdue", str(overdue)),
        *((status_label(s.value), str(counts[s])) for s in Status if counts[s] and s not in _FINISHED_SHOWN),
    )
    cycle = current_cycle(programme, today)
    blocks = [Block(kind="divider"), Block(kind="header", text="Programme progress"), Block(kind="fields",
              fields=fields[:10])]  # fmt: skip
    if cycle is not None:
        blocks.append(Block(kind="context", text=f"Current check-in: {cycle.code} (from {cycle.date:%d %b %Y})"))
    return blocks


_FINISHED_SHOWN = frozenset({Status.COMPLETE, Status.CLOSED})


async def _overdue(programme: Programme, deps: Deps, today: dt.date) -> list[Block]:
    where = ActionFilter(statuses=OPEN_STATUSES, due_before=today)
    shown, total = await deps.actions.page(programme.id, where, limit=PER_PAGE)
    if total == 0:
        return [Block(kind="divider"), Block(kind="header", text="Overdue"), Block(kind="section", text="None.")]
    more = (f"{len(shown)} of {total} shown · all of them: ", Command("actions overdue"))
    return [
        Block(kind="divider"),
        Block(kind="header", text=f"Overdue ({total})"),
        Block(kind="section", text="\n".join(action_line(a, today, rag_of_programme(programme)) for a in shown)),
        Block(kind="context", text=more),
    ]


async def _delivery(programme: Programme, deps: Deps, reads: HomeReads) -> list[Block]:
    since = deps.clock.now() - dt.timedelta(days=DELIVERY_DAYS)
    counts = await reads.delivery_counts(programme.id, since)
    waiting = counts.get("pending", 0) + counts.get("sending", 0) + counts.get("failed", 0)
    line = f"Sent {counts.get('sent', 0)} · waiting {waiting} · could not be delivered {counts.get('dead', 0)}"
    recent = await reads.recent_broadcasts(programme.id, limit=3)
    lines = [f"{b.label} · {', '.join(b.audience)} · {b.recipients} recipients · {b.state.value}" for b in recent]
    blocks = [
        Block(kind="divider"),
        Block(kind="header", text=f"Delivery, last {DELIVERY_DAYS} days"),
        Block(kind="section", text=line),
    ]
    if lines:
        blocks.append(
            Block(kind="context", text=("Recent broadcasts: " + "; ".join(lines) + " · ", Command("broadcast list")))
        )
    return blocks


def rag_of_programme(programme: Programme) -> Mapping[str, str] | None:
    """The programme's own rag_definitions, so Home colours overdue actions as chat and reports do."""
    return programme.governance.rag_definitions or None
