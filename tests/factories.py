"""A small, readable programme for tests: two agencies, three teams, nine people, two recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from handlers.programme_doc import ProgrammeDoc

OWNER = "owner@council.example"  # owns A07, practitioner in T-ADO
MANAGER = "manager@council.example"  # manages T-ADO
PRACTITIONER = "worker@council.example"  # T-ADO, owns nothing
OTHER_MANAGER = "manager@police.example"  # manager in another team
LEAD = "lead@council.example"
FACILITATOR = "facilitator@council.example"
TEST_TENANT = (
    "0d9b8c7a-6e5f-4a3b-9c2d-1e0f9a8b7c6d"  # the fake Bot Connector's tenant (tests/fakes/teams_activities.py)
)


def person(email: str, name: str, agency: str, team: str | None, roles: list[str], **extra: Any) -> dict[str, Any]:
    return {"email": email, "name": name, "agency": agency, "team": team, "roles": roles, **extra}


def make_programme_dict() -> dict[str, Any]:
    return {
        "id": "TEST-1",
        "timezone": "Europe/London",
        "teams_tenants": [TEST_TENANT],
        "partnership": {"name": "Testshire Safeguarding Children Partnership", "short_name": "TSCP"},
        "review": {
            "title": "Review: Child Q",
            "summary": "A fictional review for tests.",
            "key_dates": {"published": dt.date(2026, 1, 20), "action_plan_approved": dt.date(2026, 2, 24)},
        },
        "agencies": [{"id": "KBC", "name": "Testshire Council"}, {"id": "KPOL", "name": "Testshire Police"}],
        "teams": [
            {"id": "T-ADO", "agency": "KBC", "name": "Adolescent Safety Team"},
            {"id": "T-QA", "agency": "KBC", "name": "Quality Assurance"},
            {"id": "T-MIS", "agency": "KPOL", "name": "Missing and Exploitation Hub"},
        ],
        "participants": [
            person(
                OWNER,
                "Olu Owner",
                "KBC",
                "T-ADO",
                ["practitioner"],
                job_title="Principal Social Worker",
                manager=MANAGER,
                slack=[{"team": "T0TEST001", "user": "U0OWNER01"}],
            ),
            person(MANAGER, "Mina Manager", "KBC", "T-ADO", ["manager", "practitioner"], job_title="Team Manager"),
            person(
                PRACTITIONER,
                "Pat Worker",
                "KBC",
                "T-ADO",
                ["practitioner"],
                manager=MANAGER,
                teams=[{"tenant": "tenant-a", "aad": "aad-worker"}],
            ),
            person(OTHER_MANAGER, "Oscar Manager", "KPOL", "T-MIS", ["manager"], job_title="Detective Inspector"),
            person(
                "officer@police.example",
                "Ola Officer",
                "KPOL",
                "T-MIS",
                ["practitioner"],
                manager=OTHER_MANAGER,
                timezone="Europe/Dublin",
            ),
            person(LEAD, "Lee Lead", "KBC", None, ["lead"], job_title="Director of Children's Services"),
            person(FACILITATOR, "Fay Facilitator", "KBC", "T-QA", ["facilitator", "practitioner"]),
            person("qa@council.example", "Quinn Analyst", "KBC", "T-QA", ["practitioner"]),
            person(
                "contact@council.example",
                "Sam Contact",
                "KBC",
                "T-QA",
                ["practitioner"],
                job_title="Head of Safeguarding",
            ),
        ],
        "governance": {
            "confidentiality_statement": "Reflections are non-attributable; live risk is the exception.",
            "min_group_size": 5,
            "designated_safeguarding_contact": "contact@council.example",
            "escalation_routes": {"immediate_danger": "999", "child_concern": "Front Door via your agency procedure"},
            "support_routes": ["Employee assistance: 0800 000 000"],
        },
        "recommendations": [
            {
                "id": "R1",
                "theme": "information_sharing",
                "text": "Share.",
                "outcome_sought": "Agencies know within 2 days.",
                "impact": 5,
                "feasibility": 3,
            },
            {
                "id": "R3",
                "theme": "voice_of_child",
                "text": "Listen.",
                "outcome_sought": "Young people's views shape plans.",
                "impact": 4,
                "feasibility": 4,
            },
        ],
        "actions": [
            {
                "id": "A01",
                "rec": "R1",
                "title": "Joint protocol",
                "owner": OTHER_MANAGER,
                "agency": "KPOL",
                "start": dt.date(2026, 3, 2),
                "due": dt.date(2026, 5, 29),
                "status": "at_risk",
            },
            {
                "id": "A02",
                "rec": "R1",
                "title": "Daily cross-check",
                "owner": MANAGER,
                "agency": "KBC",
                "due": dt.date(2026, 7, 31),
                "depends_on": ["A01"],
                "status": "on_track",
            },
            {
                "id": "A07",
                "rec": "R3",
                "title": "'My week' tool",
                "owner": OWNER,
                "agency": "KBC",
                "start": dt.date(2026, 3, 16),
                "due": dt.date(2026, 6, 30),
                "status": "not_started",
                "evidence_of_impact": "Audit of sampled plans",
            },
            {
                "id": "A09",
                "rec": "R3",
                "title": "Youth justice guidance",
                "owner": OWNER,
                "agency": "KBC",
                "due": dt.date(2026, 6, 1),
                "depends_on": ["A07"],
                "status": "not_started",
            },
        ],
        "forums": [
            {"id": "F-MA", "name": "Learning forum", "members_roles": ["Team managers from T-ADO, T-MIS"]},
        ],
        "checkins": [
            {"id": "CI-0", "date": dt.date(2026, 2, 24), "type": "baseline", "pulse_items": ["IND-01", "IND-02"]},
            {"id": "CI-3", "date": dt.date(2026, 9, 1), "type": "checkin_3m", "pulse_items": ["IND-01", "IND-06"]},
        ],
    }


def make_programme_doc() -> ProgrammeDoc:
    return ProgrammeDoc.model_validate(make_programme_dict())
