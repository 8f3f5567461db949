"""The example programme and action plan: they load cleanly and the roster is rich enough for the demo and tests."""

from __future__ import annotations

import importlib.util
import zoneinfo
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from bot.importing.action_plan import read_action_plan
from bot.importing.yaml_reader import read_programme
from bot.prompt_files import default_folder, load_library
from handlers.model import Role
from handlers.programme_doc import ActionDoc, ProgrammeDoc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "programme.yaml"
ACTION_PLAN = ROOT / "examples" / "action-plan.csv"


@pytest.fixture(scope="module")
def programme() -> ProgrammeDoc:
    return read_programme(EXAMPLE, library=load_library(default_folder())).programme


def _roster_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_roster", ROOT / "examples" / "make_roster.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_keeps_the_review_content(programme):
    assert programme.id == "KSCP-CSPR-T-2026"
    assert len(programme.agencies) == 10
    assert len(programme.recommendations) == 7
    assert [a.id for a in programme.actions] == [f"A{n:02d}" for n in range(1, 22)]
    assert [c.id for c in programme.checkins] == ["CI-0", "CI-3", "CI-6"]
    assert len(programme.forums) == 2
    assert programme.review.key_dates["published"].isoformat() == "2026-01-20"


def test_every_recommendation_is_rated_in_the_file():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["programme"]["recommendations"]
    for rec in raw:
        assert 1 <= rec["impact"] <= 5
        assert 1 <= rec["feasibility"] <= 5
    assert len({(r["impact"], r["feasibility"]) for r in raw}) > 3


def test_roster_has_about_150_people_across_every_agency_and_team(programme):
    assert 140 <= len(programme.participants) <= 160
    assert {p.agency for p in programme.participants} == {a.id for a in programme.agencies}
    assert {p.team for p in programme.participants if p.team} == {t.id for t in programme.teams}


def test_every_team_has_a_manager_and_practitioners_report_to_one(programme):
    people = {p.email: p for p in programme.participants}
    for team in programme.teams:
        members = [p for p in programme.participants if p.team == team.id]
        assert any(Role.MANAGER in p.roles or Role.FACILITATOR in p.roles for p in members), team.id
    for person in programme.participants:
        if person.roles == [Role.PRACTITIONER]:
            assert person.manager is not None, person.email
            boss = people[person.manager]
            assert boss.agency == person.agency
            assert {Role.MANAGER, Role.LEAD} & set(boss.roles), person.email


def test_roles_include_facilitators_leads_and_managers(programme):
    roles = [role for p in programme.participants for role in p.roles]
    assert roles.count(Role.FACILITATOR) >= 3
    assert roles.count(Role.LEAD) >= 10
    assert roles.count(Role.MANAGER) >= len(programme.teams) - 1
    facilitators = [p for p in programme.participants if Role.FACILITATOR in p.roles]
    assert {p.team for p in facilitators} == {"T-PBU"}


def test_every_action_owner_is_on_the_roster_with_a_matching_job(programme):
    people = {p.email: p for p in programme.participants}
    for action in programme.actions:
        owner = people[action.owner]
        assert owner.agency == action.agency, action.id
        assert action.owner_role.lower() in owner.job_title.lower(), action.id


def test_a07_has_a_clear_owner_and_other_practitioners_nearby(programme):
    a07 = next(a for a in programme.actions if a.id == "A07")
    assert a07.owner == "principal.sw@kestermoor.gov.example"
    others = [
        p
        for p in programme.participants
        if p.agency == "KBC" and p.roles == [Role.PRACTITIONER] and p.email != a07.owner
    ]
    assert others


def test_governance_names_a_contact_support_and_routes(programme):
    governance = programme.governance
    emails = {p.email for p in programme.participants}
    assert governance.designated_safeguarding_contact in emails
    assert len(governance.support_routes) >= 2
    assert any("employee assistance" in route for route in governance.support_routes)
    assert governance.escalation_routes["immediate_danger"] == "999"


def test_time_zones_regions_and_working_patterns_vary(programme):
    people = programme.participants
    for person in people:
        zoneinfo.ZoneInfo(person.timezone)
    zones = [p.timezone for p in people]
    assert zones.count("Europe/London") > 130
    assert zones.count("Europe/Dublin") >= 2
    assert {p.region for p in people} == {"ENG", "WLS", "SCT", "NIR"}
    assert any(len(p.working_pattern.days) < 5 for p in people)
    shifts = [p for p in people if 6 in p.working_pattern.days]
    assert shifts
    assert any(p.working_pattern.start.hour == 7 and p.working_pattern.end.hour == 19 for p in shifts)


def test_platform_ids_use_two_slack_workspaces_and_two_teams_tenants(programme):
    people = programme.participants
    workspaces = {s.team for p in people for s in p.slack}
    tenants = {t.tenant for p in people for t in p.teams}
    assert workspaces == {"T0KSCP001", "T0KLT0002"}
    assert len(tenants) == 2
    assert any(p.slack and p.teams for p in people)
    assert any(not p.slack and not p.teams for p in people)
    assert any(len(p.slack) == 2 for p in people)
    slack_ids = [(s.team, s.user) for p in people for s in p.slack]
    assert len(slack_ids) == len(set(slack_ids))
    police = {t.tenant for p in people if p.agency == "KPOL" for t in p.teams}
    assert len(police) == 1
    assert all(not p.teams for p in people if p.agency == "KDA")


def test_emails_are_fictional(programme):
    for person in programme.participants:
        assert person.email.endswith(".example"), person.email


def test_action_plan_csv_matches_the_programme(programme):
    from_sheet = read_action_plan(ACTION_PLAN, programme)
    assert len(from_sheet) == 21
    for sheet, doc in zip(from_sheet, programme.actions, strict=True):
        for name in ActionDoc.model_fields:
            if name not in ("rag", "last_update"):
                assert getattr(sheet, name) == getattr(doc, name), (doc.id, name)


def test_generated_files_are_up_to_date():
    script = _roster_script()
    current = EXAMPLE.read_text(encoding="utf-8")
    assert script.programme_text(current) == current
    assert script.action_plan_text(current) == ACTION_PLAN.read_text(encoding="utf-8")
