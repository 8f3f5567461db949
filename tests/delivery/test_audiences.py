"""Audiences as unions, each person once, and the reason when a part reaches nobody (pure)."""

from __future__ import annotations

from handlers.audiences import address_of, resolve
from handlers.forums import forums_from
from handlers.model import Account, Agency, Participant, Role, Team

AGENCIES = [Agency(code="KBC", name="Council"), Agency(code="KPOL", name="Police")]
TEAMS = [Team(code="T-ADO", agency="KBC", name="Adolescents"), Team(code="T-QA", agency="KBC", name="QA")]


def person(pid: int, agency: str, team: str | None, *roles: Role, slack: str = "", teams: str = "") -> Participant:
    return Participant(
        id=pid, programme_id=1, email=f"p{pid}@x.example", name=f"P{pid}", agency=agency, team=team,
        roles=frozenset(roles or {Role.PRACTITIONER}),
        accounts=((Account(platform="slack", workspace=slack, user_id=f"U{pid}"),) if slack else ())
        + ((Account(platform="teams", workspace=teams, user_id=f"A{pid}"),) if teams else ()),
    )  # fmt: skip


PEOPLE = [
    person(1, "KBC", "T-ADO", slack="T1"),
    person(2, "KBC", "T-ADO", Role.MANAGER, teams="tenant"),
    person(3, "KPOL", None, slack="T1"),
    person(4, "KPOL", None, Role.LEAD),
]


def test_union_counts_each_person_once():
    found = resolve(["team:T-ADO", "agency:KBC", "role:manager"], PEOPLE, AGENCIES, TEAMS)
    assert [p.id for p in found.people] == [1, 2]
    assert found.empty == ()


def test_codes_and_roles_are_case_insensitive():
    assert resolve(["agency:kpol", "role:LEAD"], PEOPLE, AGENCIES, TEAMS).size == 2


def test_each_part_that_reaches_nobody_says_why():
    found = resolve(["team:T-QA", "agency:NOPE", "role:chief"], PEOPLE, AGENCIES, TEAMS)
    assert found.size == 0
    assert found.reasons() == (
        "team:T-QA: nobody is in team T-QA yet; agency:NOPE: there is no agency NOPE (agencies: KBC, KPOL); "
        "role:chief: chief is not a role; roles are practitioner, manager, lead, facilitator"
    )


def test_a_channel_is_posted_once_in_the_facilitators_workspace_or_the_usual_one():
    facilitator = person(9, "KBC", None, Role.FACILITATOR, slack="T9")
    assert resolve(["#general"], PEOPLE, AGENCIES, TEAMS, facilitator).channels == ("T9:#general",)
    assert resolve(["#general", "#general"], PEOPLE, AGENCIES, TEAMS).channels == ("T1:#general",)
    nobody_on_slack = [p for p in PEOPLE if not p.on("slack")]
    assert "nobody in this programme is on Slack" in resolve(["#general"], nobody_on_slack, AGENCIES, TEAMS).reasons()


def test_addresses_prefer_slack_then_teams_then_the_console():
    assert address_of(PEOPLE[0]) == ("slack", "T1:U1")
    assert address_of(PEOPLE[1]) == ("teams", "tenant:A2")
    assert address_of(PEOPLE[3]) == ("console", "p4@x.example")


FORUMS = forums_from(
    [
        {"id": "F-MA", "name": "Learning forum", "members_roles": ["Team managers from T-ADO, T-QA"]},
        {"id": "F-LH", "name": "Leadership", "members_roles": ["Delegated safeguarding partners", "Heads of service"]},
        {"id": "F-X", "members": ["P3@x.example"], "agencies": ["KBC"], "roles": ["manager"]},
        {"id": "F-VAGUE", "members_roles": ["Anyone interested"]},
        {"name": "no id, left out"},
    ]
)


def test_a_forum_from_the_programme_file_is_an_audience():
    assert [f.id for f in FORUMS] == ["F-MA", "F-LH", "F-X", "F-VAGUE"]
    assert [p.id for p in resolve(["forum:F-MA"], PEOPLE, AGENCIES, TEAMS, forums=FORUMS).people] == [2]
    assert [p.id for p in resolve(["forum:f-lh"], PEOPLE, AGENCIES, TEAMS, forums=FORUMS).people] == [4]
    assert [p.id for p in resolve(["forum:F-X"], PEOPLE, AGENCIES, TEAMS, forums=FORUMS).people] == [2, 3]


def test_a_forum_that_is_unknown_or_names_nobody_says_why():
    found = resolve(["forum:F-NOPE", "forum:F-VAGUE"], PEOPLE, AGENCIES, TEAMS, forums=FORUMS)
    assert found.size == 0
    assert found.reasons() == (
        "forum:F-NOPE: there is no forum F-NOPE (forums: F-MA, F-LH, F-X, F-VAGUE); "
        "forum:F-VAGUE: the programme file names nobody in the programme for F-VAGUE yet"
    )
