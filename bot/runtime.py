"""The one pipeline every person's request goes through: find them, one transaction, the handler, commit or not.

``Runtime`` is given everything it uses (bot/compose.py builds it): the engine, the clock, the anonymity secret, the
prompt library, and ``ports``, which makes each transaction's ``Deps`` over its session. Every command runs in its
own transaction; a refusal or an error rolls it back, so a refused command changes nothing.
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
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.accounts import Transaction
from bot.form_seal import FormSeal
from bot.settings import config_home
from handlers.dispatch import READ_ONLY_BUTTONS, open_home, prepare, press_button, run_prepared, submit_form
from handlers.library import Library
from handlers.model import Participant, Programme
from handlers.ports import Clock, Deps
from handlers.reply import Form, Reply, refusal
from handlers.requests import ButtonPress, CommandLine, FormSubmission, HomeOpened, Request
from storage.db import is_sqlite, sessionmaker
from storage.repositories.slack import first_time, forget_seen

logger = logging.getLogger(__name__)
T = TypeVar("T")


Find = Callable[[Deps, Transaction], Awaitable[Participant | None]]
Work = Callable[[Participant, Deps, AsyncSession], Awaitable[Reply]]
Ports = Callable[[AsyncSession], Deps]
"""Each transaction's Deps over its session (bot/compose.py ``SqlPorts``)."""
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
    """The pipeline, given its collaborators by the composition root (bot/compose.py ``assemble``)."""

    def __init__(
        self, database_url: str, *, engine: AsyncEngine, clock: Clock, secret: bytes, library: Library, ports: Ports
    ) -> None:
        self.database_url = database_url
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = sessionmaker(self.engine)
        self.clock = clock
        self.secret = secret
        self.library = library
        self.ports = ports
        self.forms = FormSeal(self.secret, self.clock)
        self._swept: dt.date | None = None
        self._take_turns = is_sqlite(database_url)
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def deps(self, session: AsyncSession) -> Deps:
        return self.ports(session)

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

    async def press(self, email: str, action_id: str, value: str, programme_code: str | None = None) -> Reply:
        """Press a button on a message, as that participant (the console and the demo)."""
        return await self.as_email(email, programme_code, ButtonPress(action_id=action_id, value=value))

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
        work, writes = self.work_of(request)
        return await self.run_as(find, work, unknown=unknown, writes=writes, once=once)

    def work_of(self, request: Request) -> tuple[Work, bool]:
        """What running a request means, and whether it may write."""
        match request:
            case CommandLine(word=word, text=text):
                prepared = prepare(word, text)  # parsed once
                return (lambda a, d, _s: run_prepared(prepared, a, d)), prepared.writes
            case HomeOpened():
                return (lambda a, d, _s: open_home(request, a, d)), False
            case ButtonPress(action_id=action_id, value=value) if action_id.startswith(PLAN_BUTTONS):
                # Apply/Cancel a plan file. Imported when needed: it imports this module, and openpyxl (2 s cold).
                from bot import plan_uploads

                if action_id in plan_uploads.BUTTONS:
                    return (lambda a, d, s: plan_uploads.press(action_id, value, a, d, s)), True
                return (lambda a, d, _s: press_button(action_id, value, a, d)), True
            case ButtonPress(action_id=action_id, value=value):
                return (lambda a, d, _s: press_button(action_id, value, a, d)), action_id not in READ_ONLY_BUTTONS
            case FormSubmission(form_id=form_id, state=state, values=values):
                return (lambda a, d, _s: self.submit(form_id, state, values, a, d)), True

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
