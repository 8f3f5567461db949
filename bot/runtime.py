"""The composition root for commands: settings → engine → repositories → Deps → handlers.

Every command runs in its own transaction; a refusal or an error rolls it back, so a refused command changes nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import secrets
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import SystemClock
from bot.form_seal import FormSeal
from bot.notify import RecordingNotifier
from bot.prompt_files import default_folder, load_library
from bot.settings import config_home
from handlers.anonymity_ports import AnonymityDeps, SafeguardingNotifier
from handlers.dispatch import prepare, press_button, run_prepared, submit_form
from handlers.home import HomeReads
from handlers.library import Library
from handlers.model import Participant, Programme
from handlers.ports import Clock, Deps
from handlers.reply import Form, Reply, refusal
from handlers.requests import ButtonPress, CommandLine, FormSubmission, Request
from storage.db import create_engine, is_sqlite, sessionmaker
from storage.repositories import SqlActionRepository, SqlAuditLog, SqlParticipantRepository, SqlProgrammeRepository
from storage.repositories.anonymous import SqlFlagStore, SqlReflectionStore
from storage.repositories.home import SqlHomeReads
from storage.repositories.slack import first_time, forget_seen

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Transaction(Protocol):
    """What a finder may do with the request's transaction (an AsyncSession, to adapters that must not name it)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


Find = Callable[[Deps, Transaction], Awaitable[Participant | None]]
Work = Callable[[Participant, Deps, AsyncSession], Awaitable[Reply]]
SEEN_DAYS = 2
FORM_EXPIRED = "That form has expired; please start again."
PLAN_BUTTONS = "plan."  # bot/plan_uploads.BUTTONS all start so (tests/bot/test_runtime_imports.py)


class UnknownParticipant(LookupError):
    """The person named is not in any loaded programme (CLI misuse, exit 2)."""


MIN_SECRET_BYTES = 32


def anonymity_secret(database_url: str, configured: str | None = None, key_path: Path | None = None) -> bytes:
    """AFTERCARE_ANONYMITY_SECRET (``configured``); else the key file at AFTERCARE_ANONYMITY_KEY_PATH (``key_path``,
    created once, mode 0600); else, for SQLite, a key file
    in the user's configuration folder (created once, mode 0600), never beside the database.

    It must not live in the database or beside it: with it and the database together, contributor hashes of an open
    cycle could be recomputed, so one backup of the database's folder must not hold both (docs/anonymity.md).
    """
    if configured:
        return long_enough(configured.encode(), "AFTERCARE_ANONYMITY_SECRET")
    if key_path is not None:
        return read_or_create_key(key_path.expanduser())
    if not is_sqlite(database_url):
        raise RuntimeError(
            "Please set AFTERCARE_ANONYMITY_SECRET (or AFTERCARE_ANONYMITY_KEY_PATH) when using PostgreSQL."
        )
    key_file = default_key_file(database_url)
    legacy = database_path(database_url).with_suffix(".anonymity-key")
    if legacy.exists() and not key_file.exists():  # an older version kept it beside the database: move it
        write_private(key_file, legacy.read_bytes())
        legacy.unlink()
    return read_or_create_key(key_file)


def long_enough(secret: bytes, source: str) -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise RuntimeError(
            f"{source} is too short: it must be at least {MIN_SECRET_BYTES} bytes "
            "(for example the output of: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    return secret


def database_path(database_url: str) -> Path:
    database = make_url(database_url).database or "aftercare.db"
    return Path(database if database != ":memory:" else "aftercare.db").resolve()


def default_key_file(database_url: str) -> Path:
    """~/.config/aftercare/keys/<name>-<digest of the database's path>.anonymity-key (or under $XDG_CONFIG_HOME)."""
    base = config_home()
    path = database_path(database_url)
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    return base / "aftercare" / "keys" / f"{path.stem}-{digest}.anonymity-key"


def read_or_create_key(key_file: Path) -> bytes:
    if not key_file.exists():
        write_private(key_file, secrets.token_hex(32).encode())
    elif stat.S_IMODE(key_file.stat().st_mode) & 0o077:
        key_file.chmod(0o600)
    return long_enough(key_file.read_bytes().strip(), str(key_file))


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


LOCKED_ATTEMPTS = 3


async def again_if_locked(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run ``attempt`` (a whole transaction) again when SQLite refused it as "database is locked".

    SQLite refuses a transaction that read and then wants to write after another connection wrote in between;
    everything was rolled back, so running it again is safe. Other errors, and a third refusal, are raised.
    """
    tries = 0
    while True:
        try:
            return await attempt()
        except OperationalError as error:
            tries += 1
            if tries >= LOCKED_ATTEMPTS or "database is locked" not in str(error):
                raise
            logger.info("the database was busy; running the request again (attempt %d)", tries + 1)
            await asyncio.sleep(0.02 * tries)


class Runtime:
    def __init__(
        self,
        database_url: str,
        clock: Clock | None = None,
        engine: AsyncEngine | None = None,
        *,
        secret: bytes | None = None,
        library: Library | None = None,
        notifier: SafeguardingNotifier | None = None,
    ) -> None:
        self.database_url = database_url
        self.engine = engine or create_engine(database_url)
        self.sessions: async_sessionmaker[AsyncSession] = sessionmaker(self.engine)
        self.clock: Clock = clock or SystemClock()
        self.secret = secret if secret is not None else anonymity_secret(database_url)
        self.library = library or load_library(default_folder())
        self.notifier: SafeguardingNotifier = notifier or RecordingNotifier()
        self.forms = FormSeal(self.secret, self.clock)
        self._swept: dt.date | None = None
        self._take_turns = is_sqlite(database_url)
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def deps(self, session: AsyncSession) -> Deps:
        return Deps(
            programmes=SqlProgrammeRepository(session),
            participants=SqlParticipantRepository(session),
            actions=SqlActionRepository(session),
            audit=SqlAuditLog(session),
            clock=self.clock,
            library=self.library,
            anonymity=AnonymityDeps(
                reflections=SqlReflectionStore(session, self.secret),
                flags=SqlFlagStore(session),
                notifier=self.notifier,
            ),
        )

    def home_reads(self, session: AsyncSession) -> HomeReads:
        """The read port of Home (handlers/home.py), on this session."""
        return SqlHomeReads(session)

    @asynccontextmanager
    async def interaction(self, *, writes: bool = True) -> AsyncIterator[AsyncSession]:
        """A session for one person's request from chat.

        SQLite lets one transaction write at a time: a second writer waits for the lock in sleeps of up to 100 ms
        (its busy handler), and one that read inside its transaction before writing is refused ("database is
        locked"). So on SQLite the requests of this process that may write take turns on an asyncio lock, which
        hands over the moment the last one finishes. Requests that only read, and everything on PostgreSQL, run
        side by side.
        """
        if not (writes and self._take_turns):
            async with self.sessions() as session:
                yield session
            return
        async with self._turn_lock(), self.sessions() as session:
            yield session

    def _turn_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Lock())
        return self._turns[1]

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Deps]:
        """A transaction: committed if the block finishes, rolled back if it raises."""
        async with self.sessions() as session, session.begin():
            yield self.deps(session)

    async def participant_by_email(self, deps: Deps, email: str, programme_code: str | None = None) -> Participant:
        found = await deps.participants.by_email_anywhere(email)
        if programme_code is not None:
            programme = await deps.programmes.by_code(programme_code)
            found = [p for p in found if programme is not None and p.programme_id == programme.id]
        if not found:
            raise UnknownParticipant(f"Nobody with the email {email} is in a loaded programme.")
        if len(found) > 1:
            raise UnknownParticipant(f"{email} is in several programmes; please choose one with --programme CODE.")
        return found[0]

    async def participant_by_platform(self, deps: Deps, platform: str, workspace: str, user_id: str) -> Participant:
        """The participant behind a Slack (workspace, user) or Teams (tenant, AAD object id) account.

        Only that workspace or tenant is searched, so one workspace never reaches another's people.
        """
        found = await deps.participants.by_platform(platform, workspace, user_id)
        if not found:
            raise UnknownParticipant(
                "You're not in an Aftercare programme yet; please ask your facilitator to add you."
            )
        if len(found) > 1:
            programmes = await deps.programmes.all()
            latest = max(programmes, key=lambda p: p.id).id
            found = [p for p in found if p.programme_id == latest] or found[:1]
        return found[0]

    async def say(self, email: str, line: str, programme_code: str | None = None) -> Reply:
        """Run one chat command as a participant, in its own transaction."""
        command, _, text = line.strip().partition(" ")
        return await self.as_email(email, programme_code, CommandLine(word=command, text=text))

    async def submit_form(
        self, email: str, form: Form, values: dict[str, str], programme_code: str | None = None
    ) -> Reply:
        return await self.as_email(
            email, programme_code, FormSubmission(form_id=form.form_id, state=form.state, values=values)
        )

    async def as_email(self, email: str, programme_code: str | None, request: Request) -> Reply:
        """The console's door: the participant is named by e-mail (and programme), as the operator typed it."""

        async def find(deps: Deps, _session: Transaction) -> Participant:
            return await self.participant_by_email(deps, email, programme_code)

        reply = await self.handle(find, request, unknown=refusal(""))
        return reply or refusal("That was already done; nothing has changed.")  # only a keyed request repeats

    async def submit(self, form_id: str, state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
        """A submitted form, handled only when its state is as the server sealed it for this person (form_seal)."""
        opened = self.forms.open(actor.id, form_id, state)
        if opened is None:
            logger.info("a form came back with a state the server did not seal for this person")
            return refusal(FORM_EXPIRED)
        return await submit_form(form_id, opened, values, actor, deps)

    async def handle(self, find: Find, request: Request, *, unknown: Reply, once: str | None = None) -> Reply | None:
        """A typed request (handlers/requests.py) from any adapter, run through ``run_as``."""
        if isinstance(request, CommandLine):
            prepared = prepare(request.word, request.text)  # parsed once
            return await self.run_as(find, lambda a, d, _s: run_prepared(prepared, a, d), unknown=unknown,
                                     writes=prepared.writes, once=once)  # fmt: skip
        if isinstance(request, ButtonPress) and request.action_id.startswith(PLAN_BUTTONS):  # Apply/Cancel a plan file
            from bot import plan_uploads  # imported when needed: it imports this module, and openpyxl (2 s cold)

            plan = request
            if plan.action_id in plan_uploads.BUTTONS:
                return await self.run_as(find, lambda a, d, s: plan_uploads.press(plan.action_id, plan.value, a, d, s),
                                         unknown=unknown, once=once)  # fmt: skip
        if isinstance(request, ButtonPress):
            press = request
            return await self.run_as(find, lambda a, d, _s: press_button(press.action_id, press.value, a, d),
                                     unknown=unknown, once=once)  # fmt: skip
        form = request
        return await self.run_as(find, lambda a, d, _s: self.submit(form.form_id, form.state, form.values, a, d),
                                 unknown=unknown, once=once)  # fmt: skip

    async def run_as(
        self, find: Find, work: Work, *, unknown: Reply, writes: bool = True, once: str | None = None
    ) -> Reply | None:
        """The one way a person's request is run, whatever the surface: find the participant (``find``, scoped to
        the workspace or tenant by the adapter), claim the duplicate-delivery key ``once`` (None: a repeat), run the
        work in one transaction, seal any form in the reply for this person, and commit, or roll back when the reply
        says to discard (every refusal does). ``unknown`` answers someone who is not in a programme. A transaction
        SQLite refused as "database is locked" is run again."""
        writes = writes or once is not None  # remembering the key is a write
        return await again_if_locked(lambda: self._run_as_once(find, work, unknown, writes, once))

    async def _run_as_once(
        self, find: Find, work: Work, unknown: Reply, writes: bool, once: str | None
    ) -> Reply | None:
        async with self.interaction(writes=writes) as session:
            deps = self.deps(session)
            actor = await find(deps, session)
            if once is not None and not await self._first_time(session, once):
                logger.info("a repeated interaction was ignored")
                return None
            if actor is None:
                await session.commit()  # the key, if any: a retry of this refusal is still a retry
                return unknown
            reply = self.forms.sealed(await work(actor, deps, session), actor.id)
            if reply.discard:
                await session.rollback()
            else:
                await session.commit()
            return reply

    async def _first_time(self, session: AsyncSession, key: str) -> bool:
        today = self.clock.now().date()
        if self._swept != today:  # once a day per process: platforms retry for minutes, never for days
            await forget_seen(session, today - dt.timedelta(days=SEEN_DAYS))
            self._swept = today
        return await first_time(session, key, today)

    async def programmes(self) -> list[Programme]:
        async with self.unit() as deps:
            return await deps.programmes.all()

    async def close(self) -> None:
        await self.engine.dispose()
