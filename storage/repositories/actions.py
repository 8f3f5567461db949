"""Actions and their dated updates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Select, String, and_, bindparam, func, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.errors import NotFound
from handlers.model import Action, ActionUpdate, AuditEvent, UpdateKind
from handlers.ports import ActionFilter, ActionInContext
from storage.models import (
    ActionDependencyRow,
    ActionRow,
    ActionUpdateRow,
    ParticipantRow,
    PlatformIdentityRow,
    RecommendationRow,
)
from storage.repositories.audit import EVENTS, RECORD, event_values
from storage.repositories.convert import (
    ACTION_FIELDS,
    ACTION_VALUES,
    PARTICIPANT_FIELDS,
    RECOMMENDATION_FIELDS,
    account_of,
    action_of,
    action_values,
    aware,
    columns,
    participant_of,
    recommendation_of,
    table,
    to_action,
)


class SqlActionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def codes(self, programme_id: int) -> list[str]:
        query = select(ActionRow.code).where(ActionRow.programme_id == programme_id).order_by(ActionRow.code)
        return list((await self.session.execute(query)).scalars())

    async def get(self, programme_id: int, code: str) -> Action | None:
        row = await self._row(programme_id, code)
        return to_action(row) if row else None

    async def _row(self, programme_id: int, code: str) -> ActionRow | None:
        query = select(ActionRow).where(ActionRow.programme_id == programme_id, ActionRow.code == code.upper())
        return (await self.session.execute(query)).scalar_one_or_none()

    async def in_context(self, programme_id: int, code: str) -> ActionInContext | None:
        """One query (``IN_CONTEXT``): the action, the actions it needs and those that need it, and, joined to the
        action's own row only, its owner with their accounts and its recommendation. Plain columns, no ORM objects."""
        code = code.upper()
        rows = (await self.session.execute(IN_CONTEXT, {"pid": programme_id, "code": code})).all()
        mine = [r for r in rows if r[CODE] == code]
        if not mine:
            return None
        own = mine[0]
        action = action_of(own[:ACTION])
        wanted = {c.upper() for c in action.depends_on}
        found = {r[0]: (r[:ACTION], bool(r[ACTION])) for r in rows}.values()
        accounts = [account_of(*r[OWNER:ACCOUNT]) for r in mine if r[OWNER] is not None]
        return ActionInContext(
            action=action,
            owner=participant_of(own[NEEDED:OWNER], accounts) if own[NEEDED] is not None else None,
            recommendation=recommendation_of(own[ACCOUNT:]) if own[ACCOUNT] is not None else None,
            dependencies=[action_of(row) for row, _ in found if row[CODE] in wanted],
            dependents=sorted(row[CODE] for row, needs_it in found if needs_it),
        )

    async def many(self, programme_id: int, codes: Sequence[str]) -> list[Action]:
        if not codes:
            return []
        query = select(ActionRow).where(
            ActionRow.programme_id == programme_id, ActionRow.code.in_([c.upper() for c in codes])
        )
        return [to_action(row) for row in (await self.session.execute(query.order_by(ActionRow.code))).scalars()]

    def _where(self, programme_id: int, where: ActionFilter) -> Select[ActionRow]:
        query = select(ActionRow).where(ActionRow.programme_id == programme_id)
        if where.owner_emails is not None:
            query = query.where(ActionRow.owner_email.in_([e.lower() for e in where.owner_emails]))
        if where.agency is not None:
            query = query.where(ActionRow.agency == where.agency)
        if where.statuses is not None:
            query = query.where(ActionRow.status.in_([s.value for s in where.statuses]))
        if where.due_before is not None:
            query = query.where(ActionRow.due < where.due_before)
        return query

    async def find(
        self, programme_id: int, where: ActionFilter, *, limit: int | None = None, offset: int = 0
    ) -> list[Action]:
        query = self._where(programme_id, where).order_by(ActionRow.code).offset(offset).limit(limit)
        return [to_action(row) for row in (await self.session.execute(query)).scalars()]

    async def page(
        self, programme_id: int, where: ActionFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[Action], int]:
        """One page of the actions the filter selects, and how many it selects in all, in one query."""
        total = func.count().over().label("total")
        query = self._where(programme_id, where).add_columns(total).order_by(ActionRow.code)
        rows = (await self.session.execute(query.offset(offset).limit(limit))).all()
        if not rows:
            return [], 0 if offset == 0 else await self.count(programme_id, where)
        return [to_action(row) for row, _ in rows], int(rows[0][1])

    async def count(self, programme_id: int, where: ActionFilter) -> int:
        query = select(func.count()).select_from(self._where(programme_id, where).subquery())
        return int((await self.session.execute(query)).scalar_one())

    async def dependents(self, programme_id: int, code: str) -> list[str]:
        query = (
            select(ActionRow.code)
            .join(ActionDependencyRow, ActionDependencyRow.action_id == ActionRow.id)
            .where(ActionDependencyRow.programme_id == programme_id, ActionDependencyRow.needs == code.upper())
        )
        return sorted((await self.session.execute(query)).scalars())

    async def save(self, action: Action) -> None:
        params = {f"new_{name}": value for name, value in action_values(action).items()}
        where = {"where_pid": action.programme_id, "where_code": action.code}
        result = await self.session.execute(SAVE, {**where, **params})
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound(f"There is no action {action.code}.")

    async def change(self, action: Action, update: ActionUpdate, event: AuditEvent) -> None:
        """Save a change made in chat with its history entry and audit event: one statement on PostgreSQL (writable
        common table expressions, so one round trip instead of three), three on SQLite, in the caller's transaction
        either way."""
        if self.session.get_bind().dialect.name != "postgresql":
            await self.save(action)
            await self.add_update(action.programme_id, update, action.id)
            await self.session.execute(RECORD, event_values(action.programme_id, event))
            return
        params = {
            **{f"new_{name}": value for name, value in action_values(action).items()},
            "where_pid": action.programme_id,
            "where_code": action.code,
            **{f"u_{name}": value for name, value in _update_values(update).items()},
            **{f"e_{name}": value for name, value in event_values(action.programme_id, event).items()},
        }
        result = await self.session.execute(CHANGE, params)
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound(f"There is no action {action.code}.")

    async def add_update(self, programme_id: int, update: ActionUpdate, action_id: int | None = None) -> None:
        """``action_id``, when the caller has it, saves looking the action up by its code again."""
        if action_id is None:
            row = await self._row(programme_id, update.action_code)
            if row is None:
                raise NotFound(f"There is no action {update.action_code}.")
            action_id = row.id
        await self.session.execute(ADD_UPDATE, {"action_id": action_id, **_update_values(update)})

    async def history(self, programme_id: int, code: str, limit: int = 10) -> list[ActionUpdate]:
        rows = await self.session.execute(HISTORY, {"pid": programme_id, "code": code.upper(), "n": limit})
        return [
            ActionUpdate(
                action_code=code.upper(),
                at=aware(at) or at,
                actor_email=actor_email,
                actor_name=actor_name,
                kind=UpdateKind(kind),
                old=old,
                new=new,
                note=note,
            )
            for at, actor_email, actor_name, kind, old, new, note in rows
        ]


ACTIONS, UPDATES = table(ActionRow), table(ActionUpdateRow)
PEOPLE, ACCOUNTS = ParticipantRow.__table__, PlatformIdentityRow.__table__
RECOMMENDATIONS, EDGES = RecommendationRow.__table__, ActionDependencyRow.__table__
CODE = ACTION_FIELDS.index("code")
ACTION = len(ACTION_FIELDS)  # where each part of an IN_CONTEXT row ends: the action, "needed by it", the owner, ...
NEEDED = ACTION + 1
OWNER = NEEDED + len(PARTICIPANT_FIELDS)
ACCOUNT = OWNER + 3


def _in_context() -> Select[Any]:
    """Built once: making aliases and joins costs more CPU (about 5 ms) than running the query."""
    pid, code = bindparam("pid", type_=Integer), bindparam("code", type_=String)
    own, needed = ACTIONS.alias("own"), ACTIONS.alias("needed")
    own_id = select(own.c.id).where(own.c.programme_id == pid, own.c.code == code)
    needs = (  # from the action's own few edges to the actions they name, never across the whole plan
        select(needed.c.id)
        .join(EDGES, and_(needed.c.programme_id == EDGES.c.programme_id, needed.c.code == func.upper(EDGES.c.needs)))
        .where(EDGES.c.action_id == own_id.scalar_subquery())
    )
    needed_by = select(EDGES.c.action_id).where(EDGES.c.programme_id == pid, EDGES.c.needs == code)
    ids = union(own_id, needs, needed_by)  # each part by an index
    is_it = ACTIONS.c.code == code
    joined = (
        ACTIONS.outerjoin(PEOPLE, and_(is_it, PEOPLE.c.programme_id == ACTIONS.c.programme_id,
                                       PEOPLE.c.email == func.lower(ACTIONS.c.owner_email)))
        .outerjoin(ACCOUNTS, ACCOUNTS.c.participant_id == PEOPLE.c.id)
        .outerjoin(RECOMMENDATIONS, and_(is_it, RECOMMENDATIONS.c.programme_id == ACTIONS.c.programme_id,
                                         RECOMMENDATIONS.c.code == ACTIONS.c.recommendation))
    )  # fmt: skip
    return (
        select(
            *columns(ACTIONS, ACTION_FIELDS),
            ACTIONS.c.id.in_(needed_by),
            *columns(PEOPLE, PARTICIPANT_FIELDS),
            *columns(ACCOUNTS, ("platform", "workspace", "user_id")),
            *columns(RECOMMENDATIONS, RECOMMENDATION_FIELDS),
        )
        .select_from(joined)
        .where(ACTIONS.c.id.in_(ids))  # each part is within the programme
        .order_by(ACTIONS.c.code, ACCOUNTS.c.id)
    )


IN_CONTEXT = _in_context()
SAVE = (
    update(ACTIONS)
    .where(ACTIONS.c.programme_id == bindparam("where_pid", type_=Integer),
           ACTIONS.c.code == bindparam("where_code", type_=String))
    .values({name: bindparam(f"new_{name}", type_=ACTIONS.c[name].type) for name in ACTION_VALUES})
)  # fmt: skip
ADD_UPDATE = insert(UPDATES)


def _update_values(update: ActionUpdate) -> dict[str, Any]:
    return {
        "at": update.at,
        "actor_email": update.actor_email,
        "actor_name": update.actor_name,
        "kind": update.kind.value,
        "old": update.old,
        "new": update.new,
        "note": update.note,
    }


def _change() -> Any:
    """UPDATE the action; INSERT its history entry and the audit event only if it was there: one statement."""
    saved = SAVE.returning(ACTIONS.c.id).cte("saved")
    update_columns = ["at", "actor_email", "actor_name", "kind", "old", "new", "note"]
    history = (
        insert(UPDATES)
        .from_select(
            ["action_id", *update_columns],
            select(saved.c.id, *[bindparam(f"u_{name}", type_=UPDATES.c[name].type) for name in update_columns]),
        )
        .cte("history")
    )
    event_columns = ["programme_id", "at", "actor_email", "verb", "target", "detail"]
    return (
        insert(EVENTS)
        .from_select(
            event_columns,
            select(*[bindparam(f"e_{name}", type_=EVENTS.c[name].type) for name in event_columns]).select_from(saved),
        )
        .add_cte(history)
    )


CHANGE = _change()
HISTORY = (
    select(UPDATES.c.at, UPDATES.c.actor_email, UPDATES.c.actor_name, UPDATES.c.kind, UPDATES.c.old, UPDATES.c.new,
           UPDATES.c.note)
    .join(ACTIONS, ACTIONS.c.id == UPDATES.c.action_id)
    .where(ACTIONS.c.programme_id == bindparam("pid", type_=Integer), ACTIONS.c.code == bindparam("code", type_=String))
    .order_by(UPDATES.c.at.desc(), UPDATES.c.id.desc())
    .limit(bindparam("n", type_=Integer))
)  # fmt: skip
