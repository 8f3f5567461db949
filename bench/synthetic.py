"""A large synthetic programme for benchmarks: thousands of people and actions, deterministic."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from handlers.programme_doc import ProgrammeDoc

STATUSES = ["not_started", "on_track", "at_risk", "off_track", "blocked", "complete"]


def synthetic_programme(participants: int = 5000, actions: int = 2000, seed: int = 7) -> ProgrammeDoc:
    rng = random.Random(seed)
    agencies = [{"id": f"AG{i:02d}", "name": f"Agency {i}"} for i in range(20)]
    teams = [{"id": f"T{i:03d}", "agency": f"AG{i % 20:02d}", "name": f"Team {i}"} for i in range(200)]
    people: list[dict[str, Any]] = []
    for i in range(participants):
        team = teams[i % len(teams)]
        roles = ["manager"] if i < len(teams) else ["practitioner"]
        if i % 500 == 7:
            roles.append("facilitator")
        people.append(
            {
                "email": f"person{i:05d}@agency.example",
                "name": f"Person {i}",
                "agency": team["agency"],
                "team": team["id"],
                "roles": roles,
                "manager": None if i < len(teams) else f"person{i % len(teams):05d}@agency.example",
                "slack": [{"team": "T0BENCH01", "user": f"U{i:08d}"}] if i % 2 else [],
            }
        )
    recs = [
        {"id": f"R{i}", "theme": "information_sharing", "text": f"Recommendation {i}", "outcome_sought": "Better."}
        for i in range(1, 41)
    ]
    plan = []
    for i in range(1, actions + 1):
        owner = people[len(teams) + rng.randrange(participants - len(teams))]
        deps = [f"A{rng.randrange(1, i):04d}"] if i > 1 and rng.random() < 0.3 else []
        plan.append(
            {
                "id": f"A{i:04d}",
                "rec": f"R{1 + i % 40}",
                "title": f"Action {i}",
                "owner": owner["email"],
                "agency": owner["agency"],
                "start": dt.date(2026, 3, 1),
                "due": dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(30, 400)),
                "depends_on": deps,
                "status": rng.choice(STATUSES),
            }
        )
    return ProgrammeDoc.model_validate(
        {
            "id": "BENCH-1",
            "partnership": {"name": "Benchmark Partnership"},
            "review": {"title": "Benchmark review", "key_dates": {"published": dt.date(2026, 1, 20)}},
            "agencies": agencies,
            "teams": teams,
            "participants": people,
            "governance": {"confidentiality_statement": "Non-attributable."},
            "recommendations": recs,
            "actions": plan,
        }
    )
