"""One line of an action's history for a field changed by an action plan import: who (the import), from and to."""

from __future__ import annotations

import datetime as dt

from handlers.action_views import update_line
from handlers.model import ActionUpdate, UpdateKind


def test_an_imported_field_change_reads_once_as_the_import():
    update = ActionUpdate(action_code="A05", at=dt.datetime(2026, 12, 6, 23, 19, tzinfo=dt.UTC),
                          actor_email="import@aftercare", actor_name="Action plan import", kind=UpdateKind.IMPORT,
                          old="2026-09-30", new="2026-12-31", note="due date")  # fmt: skip
    assert (
        update_line(update, "Europe/London") == "06 Dec 2026 23:19 Action plan import: due date 2026-09-30 → 2026-12-31"
    )
