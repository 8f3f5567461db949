"""APScheduler 3.x on the leader only: it decides *when* each schedule fires; the ``schedules`` table is the truth.

One job per (schedule, time zone of its recipients), with a trigger built from the schedule's own recurrence rule,
so "weekly on TU at 10:00" is 10:00 in each recipient's zone across clock changes. Jobs live in memory: the leader
rebuilds them from the database when it starts and every ``resync`` seconds (a programme re-imported with new
schedules or dates is picked up). Misfire grace is long and coalescing is on, so a leader that starts late fires
the latest missed occurrence once; firing is idempotent, so an occurrence fired twice adds nothing.

Jobs only write outbox rows (bot/firing.py); the dispatchers send them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.firing import GRACE, Firer
from bot.runtime import Runtime
from handlers import safeguarding
from handlers.recurrence import Recurrence, format_recurrence, next_occurrence
from handlers.schedules import ScheduleKind, milestone_dates, specs_for
from storage import retention
from storage.repositories import SqlParticipantRepository
from storage.repositories import schedules as stored

logger = logging.getLogger(__name__)

STOP_GRACE = 10.0  # seconds a running job may take to finish when the scheduler stops, before it is cancelled


class RecurrenceTrigger(BaseTrigger):  # type: ignore[misc]
    """An APScheduler trigger over handlers/recurrence.py, in one IANA zone."""

    def __init__(self, rule: Recurrence, zone: str, milestones: Mapping[str, dt.date], start_after: dt.datetime):
        self.rule = rule
        self.zone = zone
        self.milestones = dict(milestones)
        self.start_after = start_after

    def get_next_fire_time(self, previous_fire_time: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
        after = previous_fire_time or self.start_after
        return next_occurrence(self.rule, after, self.zone, self.milestones)

    def __str__(self) -> str:
        return f"recurrence[{format_recurrence(self.rule)} in {self.zone}]"


class Scheduler:
    def __init__(
        self,
        runtime: Runtime,
        *,
        grace: dt.timedelta = GRACE,
        resync: float = 60.0,
        maintenance: float = 300.0,
    ) -> None:
        self.runtime = runtime
        self.grace = grace
        self.resync = resync
        self.maintenance = maintenance
        self.firer = Firer(runtime.sessions, runtime.clock, runtime.library, grace)
        self.scheduler: AsyncIOScheduler | None = None
        self._signatures: dict[str, tuple[Any, ...]] = {}
        self._running: set[asyncio.Task[Any]] = set()

    @property
    def running(self) -> bool:
        return self.scheduler is not None

    async def start(self) -> None:
        if self.scheduler is not None:
            return
        scheduler = AsyncIOScheduler(
            timezone=dt.UTC,
            job_defaults={"misfire_grace_time": int(self.grace.total_seconds()), "coalesce": True, "max_instances": 1},
        )
        scheduler.add_listener(_on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        every = {"sync": (self.sync, self.resync), "safeguarding": (self.escalate, self.maintenance)}
        for job_id, (work, seconds) in every.items():
            scheduler.add_job(self._job, IntervalTrigger(seconds=seconds), args=(work,), id=job_id)
        daily = IntervalTrigger(hours=24)
        scheduler.add_job(self._job, daily, args=(self.purge,), id="retention", next_run_time=self.runtime.clock.now())
        self.scheduler = scheduler
        scheduler.start()
        await self.sync()
        logger.info("scheduler started with %d schedule jobs", len(self._signatures))

    async def stop(self) -> None:
        """No new jobs start; a job already running (a purge, a firing) may finish for up to ``STOP_GRACE`` seconds,
        then is cancelled, and its cancellation is awaited: nothing of the scheduler's is still using the database
        when this returns (cancelling without waiting once left a purge holding SQLite while the runtime closed)."""
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is None:
            return
        scheduler.pause()
        running = set(self._running)
        if running:
            _, running = await asyncio.wait(running, timeout=STOP_GRACE)
        scheduler.shutdown(wait=False)  # cancels whatever is still running
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self._signatures.clear()
        logger.info("scheduler stopped")

    async def _job(self, work: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Every job runs through here, so that ``stop`` knows what is running."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await work(*args)
        finally:
            self._running.discard(task)

    async def sync(self) -> None:
        """Bring the schedules table up to date with each programme, then the jobs with the table."""
        wanted = await self.wanted_jobs()
        if self.scheduler is None:
            return
        for job_id in [j for j in self._signatures if j not in wanted]:
            self.scheduler.remove_job(job_id)
            del self._signatures[job_id]
        start_after = self.runtime.clock.now() - self.grace
        for job_id, (signature, schedule_id, zone, rule, milestones) in wanted.items():
            if self._signatures.get(job_id) == signature:
                continue
            trigger = RecurrenceTrigger(rule, zone, milestones, start_after)
            self.scheduler.add_job(
                self._job, trigger, args=(self.firer.fire, schedule_id, zone), id=job_id, replace_existing=True
            )
            self._signatures[job_id] = signature

    async def wanted_jobs(self) -> dict[str, tuple[tuple[Any, ...], int, str, Recurrence, dict[str, dt.date]]]:
        now = self.runtime.clock.now()
        wanted = {}
        async with self.runtime.sessions() as session, session.begin():
            participants = SqlParticipantRepository(session)
            for programme, documents in await stored.programmes_with_schedules(session):
                await stored.sync_schedules(session, programme.id, specs_for(programme, documents), now)
                people = await participants.in_programme(programme.id)
                zones = sorted({p.timezone for p in people} | {programme.timezone})
                milestones = milestone_dates(programme)
                for schedule in await stored.active_schedules(session, programme.id):
                    rule = schedule.spec.recurrence()
                    for zone in [programme.timezone] if schedule.spec.kind is ScheduleKind.PEERS else zones:
                        signature = (format_recurrence(rule), zone, tuple(sorted(milestones.items())))
                        wanted[f"schedule:{schedule.id}:{zone}"] = (signature, schedule.id, zone, rule, milestones)
        return wanted

    async def escalate(self) -> None:
        """Safeguarding flags left unanswered past the programme's window go to its safeguarding contact."""
        for programme in await self.runtime.programmes():
            async with self.runtime.unit() as deps:
                count = await safeguarding.escalate_unanswered(programme, deps)
            if count:
                logger.warning("programme %s: %d unanswered safeguarding flag(s) escalated", programme.code, count)

    async def purge(self) -> None:
        """Once a day on the leader: retention (reflection text, raw check-in answers, old flags), closed cycles'
        keys, and the anonymous tables rewritten in random order (storage/rewrite.py)."""
        done = await retention.daily_anonymity_job(self.runtime.engine, self.runtime.clock.now().date())
        logger.info(
            "retention: %d reflection text(s) deleted, %d answer(s) folded, %d cycle key(s) destroyed, "
            "%d flag(s) unlinked, %d anonymous row(s) rewritten",
            done.texts_deleted,
            done.answers_folded,
            done.keys_destroyed,
            done.flags_unlinked,
            done.rows_rewritten,
        )


def _on_event(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        logger.warning("job %s missed its time %s (beyond the misfire grace)", event.job_id, event.scheduled_run_time)
    elif event.exception is not None:
        logger.error("job %s failed: %s", event.job_id, event.exception)
