"""The composition root: the one place the runtime and its collaborators are built (serve, worker, say, console,
demo and the other commands all get their Runtime from here; nothing here reads the environment).

``SqlPorts`` makes each transaction's ``Deps`` over its session: the repositories, the outbox and broadcasts, the
safeguarding notifier (through the outbox unless one is given), the report and plan file posters and Home's read
port. ``Runtime`` (bot/runtime.py) is given it, with the engine, clock, anonymity secret and prompt library, and
never asks what it was given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.clock import SystemClock
from bot.holiday_calendar import HolidaysCalendar
from bot.notify import OutboxNotifier
from bot.plan_poster import PlanFilePoster
from bot.prompt_files import default_folder, library_folder, load_library
from bot.reports.poster import FilePoster
from bot.runtime import Runtime, anonymity_secret
from bot.settings import Settings
from handlers.anonymity_ports import AnonymityDeps, SafeguardingNotifier
from handlers.delivery_ports import ConversationRefs
from handlers.library import Library
from handlers.ports import Clock, Deps
from handlers.windows import HolidayCalendar
from storage.db import create_engine, sessionmaker
from storage.repositories import SqlActionRepository, SqlAuditLog, SqlParticipantRepository, SqlProgrammeRepository
from storage.repositories.anonymous import SqlFlagStore, SqlReflectionStore
from storage.repositories.broadcasts import SqlBroadcastRepository
from storage.repositories.conversations import SqlConversationRefs
from storage.repositories.directory import SqlDirectory
from storage.repositories.home import SqlHomeReads
from storage.repositories.outbox import SqlOutbox

Database = AsyncEngine
"""A database handle, opaque to the adapters: given only to an SDK that keeps its own tables there (Slack's OAuth
installation and state stores, bot/slack/oauth.py). Adapters never query it themselves."""
Release = Callable[[], Awaitable[None]]

DEFAULT_REPORTS_FOLDER = Path("aftercare-reports")
CALENDAR = HolidaysCalendar()  # bank holidays for a broadcast preview's first delivery time; cached per year


@dataclass(frozen=True)
class SqlPorts:
    """Each transaction's Deps over its session; ``notifier`` None tells the safeguarding contact via the outbox."""

    clock: Clock
    library: Library
    secret: bytes
    reports_folder: Path
    notifier: SafeguardingNotifier | None = None
    calendar: HolidayCalendar | None = CALENDAR

    def __call__(self, session: AsyncSession) -> Deps:
        participants = SqlParticipantRepository(session)
        actions = SqlActionRepository(session)
        outbox = SqlOutbox(session)
        notifier = self.notifier or OutboxNotifier(outbox, participants, self.clock)
        return Deps(
            programmes=SqlProgrammeRepository(session),
            participants=participants,
            actions=actions,
            audit=SqlAuditLog(session),
            clock=self.clock,
            library=self.library,
            anonymity=AnonymityDeps(
                reflections=SqlReflectionStore(session, self.secret), flags=SqlFlagStore(session), notifier=notifier
            ),
            outbox=outbox,
            broadcasts=SqlBroadcastRepository(session),
            directory=SqlDirectory(session),
            reports=FilePoster(session, outbox, self.library, self.clock, self.reports_folder),
            plans=PlanFilePoster(actions, outbox, self.clock, self.reports_folder),
            home=SqlHomeReads(session),
            calendar=self.calendar,
        )


def assemble(
    database_url: str,
    *,
    clock: Clock | None = None,
    engine: AsyncEngine | None = None,
    secret: bytes | None = None,
    library: Library | None = None,
    notifier: SafeguardingNotifier | None = None,
    reports_folder: Path | None = None,
) -> Runtime:
    """A Runtime with every feature; what is not given takes its default (the tests give a clock and a secret)."""
    chosen_clock = clock or SystemClock()
    chosen_secret = secret if secret is not None else anonymity_secret(database_url)
    chosen_library = library or load_library(default_folder())
    ports = SqlPorts(chosen_clock, chosen_library, chosen_secret, reports_folder or DEFAULT_REPORTS_FOLDER, notifier)
    return Runtime(
        database_url,
        engine=engine or create_engine(database_url),
        clock=chosen_clock,
        secret=chosen_secret,
        library=chosen_library,
        ports=ports,
    )


def anonymity_key(settings: Settings) -> bytes:
    """The anonymity secret the settings name (AFTERCARE_ANONYMITY_SECRET or the key file)."""
    configured = settings.anonymity_secret.get_secret_value() if settings.anonymity_secret else None
    return anonymity_secret(settings.database_url, configured, settings.anonymity_key_path)


def build_runtime(settings: Settings, *, clock: Clock | None = None, engine: AsyncEngine | None = None) -> Runtime:
    """Storage, the anonymity secret, the prompt library and the reports folder, as the settings say."""
    return assemble(
        settings.database_url,
        clock=clock,
        engine=engine,
        secret=anonymity_key(settings),
        library=load_library(library_folder(settings.prompts_dir)),
        reports_folder=settings.reports_dir,
    )


def conversation_refs(runtime: Runtime) -> ConversationRefs:
    """Teams conversation references over the runtime's database (storage/repositories/conversations.py)."""
    return SqlConversationRefs(runtime.sessions, runtime.clock)


def own_conversation_refs(database_url: str, clock: Clock | None = None) -> tuple[ConversationRefs, Release]:
    """Conversation references over a database connection of their own (a delivery channel built by the worker),
    and what closes that connection."""
    engine = create_engine(database_url)
    return SqlConversationRefs(sessionmaker(engine), clock or SystemClock()), engine.dispose


def own_database(database_url: str) -> Database:
    """A database connection of its own for an SDK's stores (the Slack delivery channel's installations)."""
    return create_engine(database_url)
