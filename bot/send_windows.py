"""Before each send: is the recipient inside a working window now? If not, until when must the message wait?

People are read from the database in batches and kept for ``ttl`` seconds, so a dispatcher sending hundreds of
messages a second does not ask for each person every time; a change of leave (``/aftercare away``) is seen within
that time. A message to a channel follows the programme's zone with the default working pattern.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.model import Participant
from handlers.windows import HolidayCalendar, next_send_time
from storage.repositories.directory import participants_by_id, programme_zones
from storage.repositories.outbox import Claimed

logger = logging.getLogger(__name__)

TOLERANCE = dt.timedelta(seconds=1)


class SendWindows:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], calendar: HolidayCalendar, *, ttl: float = 60.0
    ) -> None:
        self.sessions = sessions
        self.calendar = calendar
        self.ttl = ttl
        self._people: dict[int, tuple[float, Participant]] = {}
        self._zones: dict[int, str] = {}

    async def load(self, rows: Iterable[Claimed]) -> None:
        """Fetch, in one query each, the people and programme zones these rows need and the cache lacks."""
        now = time.monotonic()
        people = {r.participant_id for r in rows if r.participant_id is not None and r.respect_window}
        stale = [pid for pid in people if pid not in self._people or now - self._people[pid][0] > self.ttl]
        zones = {r.programme_id for r in rows if r.participant_id is None} - set(self._zones)
        if not stale and not zones:
            return
        async with self.sessions() as session:
            for pid, person in (await participants_by_id(session, stale)).items():
                self._people[pid] = (now, person)
            self._zones.update(await programme_zones(session, zones))

    def hold_until(self, row: Claimed, now: dt.datetime) -> dt.datetime | None:
        """None when the row may go now; otherwise the start of the recipient's next working window.

        ValueError when the person has no working window at all (a bad pattern, or leave beyond a year).
        """
        if not row.respect_window:
            return None
        person = self._person(row)
        if person is None:
            return None
        at = next_send_time(now, person, self.calendar, not_before=now)
        return at if at > now + TOLERANCE else None

    def _person(self, row: Claimed) -> Participant | None:
        if row.participant_id is not None:
            cached = self._people.get(row.participant_id)
            return cached[1] if cached else None
        zone = self._zones.get(row.programme_id)
        if zone is None:
            return None
        return Participant(id=0, programme_id=row.programme_id, email="", name="", agency="", timezone=zone)
