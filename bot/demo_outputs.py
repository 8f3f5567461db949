"""Files the demo leaves in ./demo-output/ for a facilitator to open."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from bot.plan_export import csv_bytes, plan_rows, xlsx_bytes
from bot.runtime import Runtime
from bot.safe_output import csv_row
from handlers.action_views import status_label
from handlers.model import Programme
from handlers.ports import ActionFilter

if TYPE_CHECKING:
    from bot.demo import Transcript


async def write_outputs(runtime: Runtime, programme: Programme, log: Transcript, out: Path) -> list[str]:
    today = runtime.clock.now().date()
    async with runtime.unit() as deps:
        actions = await deps.actions.find(programme.id, ActionFilter())
        histories = {a.code: await deps.actions.history(programme.id, a.code, limit=100) for a in actions}
    rows = plan_rows(actions, today, programme.governance.rag_definitions or None)
    (out / "action-plan.csv").write_bytes(csv_bytes(rows))  # the columns `aftercare programme import` reads
    (out / "action-plan.xlsx").write_bytes(xlsx_bytes(rows))
    with (out / "action-updates.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "when_utc", "who", "what", "from", "to", "note"])
        for code, updates in histories.items():
            for u in reversed(updates):
                writer.writerow(csv_row([code, u.at.isoformat(), u.actor_name, u.kind.value, u.old, u.new, u.note]))
    counts: dict[str, int] = {}
    for a in actions:
        counts[a.status.value] = counts.get(a.status.value, 0) + 1
    summary = [
        f"# {programme.review_title}",
        "",
        f"{programme.partnership}. Position on {today:%d %B %Y} (simulated).",
        "",
        "| status | actions |",
        "| --- | --- |",
        *(f"| {status_label(s)} | {n} |" for s, n in sorted(counts.items())),
        "",
        f"Overdue: {', '.join(a.code for a in actions if a.is_overdue(today)) or 'none'}.",
    ]
    (out / "programme-summary.md").write_text("\n".join(summary) + "\n", encoding="utf-8")
    return ["transcript.md", "action-plan.csv", "action-plan.xlsx", "action-updates.csv", "programme-summary.md"]
