"""Write the fictional roster into examples/programme.yaml and the action plan into examples/action-plan.csv.

Run from the repository root: ``.venv/bin/python examples/make_roster.py``. The output is deterministic, so
running it twice changes nothing; tests check that the committed files match. Everything after the marker line
in programme.yaml is replaced; everything before it is edited by hand. All people, emails and ids are fictional.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import uuid
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
MARKER = "  # ---- participants: written by examples/make_roster.py; edit that script, not the lines below ----\n"

# fmt: off
DOMAINS = {
    "KBC": "kestermoor.gov.example", "KYJ": "kestermoor.gov.example", "KPOL": "kestermoor.police.example",
    "KICB": "nhs.example", "KCH": "nhs.example", "KMH": "nhs.example", "KGH": "nhs.example",
    "KLT": "kestermoorlearning.example", "KRS": "kestermoor-recovery.example", "KDA": "kestermoorda.example",
}
SLACK_COUNCIL, SLACK_SCHOOLS = "T0KSCP001", "T0KLT0002"
TEAMS_NHS = str(uuid.uuid5(uuid.NAMESPACE_DNS, "nhs.example"))
TEAMS_POLICE = str(uuid.uuid5(uuid.NAMESPACE_DNS, "kestermoor.police.example"))
HOME_PLATFORM = {
    "KBC": "slack_council", "KYJ": "slack_council", "KLT": "slack_schools", "KPOL": "teams_police",
    "KICB": "teams_nhs", "KCH": "teams_nhs", "KMH": "teams_nhs", "KGH": "teams_nhs", "KRS": "", "KDA": "",
}

FIRST = """Aisha Alex Amara Amir Ben Bethan Callum Chloe Connor Dafydd Daniel Deepa Eilidh Ellie Emeka Erin Fatima
Fiona Gareth Grace Hamza Hannah Harriet Imran Isla Jack Jade Jamal Jasmine Joanna Jordan Kai Kate Kwame Laura Leah Liam
Lucy Mairead Marcus Maya Megan Mohammed Naomi Nathan Niamh Oliver Olivia Owen Priya Rachel Rhys Rosa Ruth Ryan Saira
Sam Sean Sian Simone Sophie Tariq Tom Una Victoria Wei Yasmin Zainab Zoe""".split()  # noqa: SIM905
LAST = """Adeyemi Ahmed Ali Anderson Baker Begum Bennett Brown Campbell Carter Chen Clarke Davies Doherty Edwards Evans
Fletcher Fraser Green Hall Harris Hughes Hussain Jackson James Jenkins Jones Kaur Kelly Khan Lewis Lloyd MacLeod Martin
Mensah Mitchell Morgan Murphy Murray Nguyen Novak Okafor Osei Owen Parry Patel Phillips Price Quinn Rahman Reid Roberts
Robinson Shah Singh Smith Stewart Taylor Thomas Thompson Turner Walker Walsh Ward Watson White Williams Wilson Wood
Wright Young""".split()  # noqa: SIM905

# Named people: key, email (None = made from the name), agency, team, roles, job title, manager key.
KEY_PEOPLE: list[tuple[str, str | None, str, str | None, str, str, str | None]] = [
    ("dcs", None, "KBC", None, "lead", "Director of Children's Services", None),
    ("hocsc", None, "KBC", None, "lead", "Head of Children's Social Care", "dcs"),
    ("hoas", None, "KBC", None, "lead", "Head of Adolescent Services", "dcs"),
    ("hosqa", None, "KBC", "T-QA", "manager lead", "Head of Safeguarding and Quality Assurance", "dcs"),
    ("psw", "principal.sw@kestermoor.gov.example", "KBC", "T-QA", "lead", "Principal Social Worker", "dcs"),
    ("pbm", None, "KBC", "T-PBU", "facilitator lead", "Partnership Business Manager", None),
    ("ptc", None, "KBC", "T-PBU", "facilitator", "Partnership Training Coordinator", "pbm"),
    ("lio", None, "KBC", "T-PBU", "facilitator", "Learning and Improvement Officer", "pbm"),
    ("pdo", None, "KBC", "T-PBU", "facilitator", "Partnership Development Officer", "pbm"),
    ("smfd", None, "KBC", "T-FD", "manager", "Service Manager, Children's Front Door", "hocsc"),
    ("tmas2", None, "KBC", "T-AS2", "manager", "Team Manager, Assessment and Support Team 2", "hocsc"),
    ("smado", None, "KBC", "T-ADO", "manager", "Service Manager, Adolescent Safety Team", "hoas"),
    ("tmeh", None, "KBC", "T-EH", "manager", "Team Manager, Early Help Locality North", "hocsc"),
    ("ewm", None, "KBC", "T-EWS", "manager", "Education Welfare Manager", "hocsc"),
    ("hoyjs", None, "KYJ", None, "lead", "Head of Youth Justice Service", "hoas"),
    ("tmyj", None, "KYJ", "T-YJ", "manager", "Team Manager, Youth Justice", "hoyjs"),
    ("dcsupt", None, "KPOL", None, "lead", "Detective Chief Superintendent, Public Protection", None),
    ("dci", None, "KPOL", None, "lead", "Detective Chief Inspector, Public Protection", "dcsupt"),
    ("dippu", None, "KPOL", "T-PPU", "manager", "Detective Inspector, Public Protection Unit", "dci"),
    ("dimis", None, "KPOL", "T-MIS", "manager", "Detective Inspector, Missing and Exploitation Hub", "dci"),
    ("cno", None, "KICB", None, "lead", "Chief Nursing Officer", None),
    ("desnurse", None, "KICB", None, "lead", "Designated Nurse for Safeguarding Children", "cno"),
    ("qagchair", None, "KICB", None, "lead", "Deputy Director of Safeguarding; Chair, Quality Assurance Group", "cno"),
    ("desdoc", None, "KICB", None, "lead", "Designated Doctor for Safeguarding Children", "cno"),
    ("slsn", None, "KCH", "T-SN", "manager", "Safeguarding Lead, School Nursing", "nnkch"),
    ("nnkch", None, "KCH", None, "lead", "Named Nurse for Safeguarding Children, Community Health", None),
    ("hosmh", None, "KMH", None, "lead", "Head of Safeguarding, Mental Health Trust", None),
    ("nnmh", None, "KMH", None, "lead", "Named Nurse for Safeguarding Children", "hosmh"),
    ("tmcmht", None, "KMH", "T-CMHT", "manager", "Team Manager, Community Mental Health Team (West)", "hosmh"),
    ("lned", None, "KGH", "T-ED", "manager", "Lead Nurse for Safeguarding, Emergency Department", None),
    ("tsl", None, "KLT", "T-DSL", "manager lead", "Trust Safeguarding Lead", None),
    ("clinlead", None, "KRS", None, "lead", "Clinical Lead", None),
    ("kdasm", None, "KDA", None, "manager", "Service Manager, Domestic Abuse Service", None),
    ("conssw", None, "KBC", "T-ADO", "practitioner", "Consultant Social Worker", "smado"),
    ("partmgr", None, "KBC", "T-QA", "practitioner", "Participation Manager", "hosqa"),
]

# Practitioners by team: (agency, team, manager key, [(job title, how many)]).
TEAMS: list[tuple[str, str | None, str, list[tuple[str, int]]]] = [
    ("KBC", "T-FD", "smfd", [("Social Worker", 7), ("Senior Practitioner", 2), ("Early Help Navigator", 2)]),
    ("KBC", "T-AS2", "tmas2", [("Social Worker", 7), ("Senior Practitioner", 2), ("Family Support Worker", 1)]),
    ("KBC", "T-ADO", "smado", [("Social Worker", 6), ("Senior Practitioner", 2), ("Youth Worker", 2),
                               ("Contextual Safeguarding Practitioner", 1)]),
    ("KBC", "T-EH", "tmeh", [("Early Help Practitioner", 5), ("Family Support Worker", 3)]),
    ("KBC", "T-EWS", "ewm", [("Education Welfare Officer", 4), ("Children Missing Education Officer", 2)]),
    ("KBC", "T-QA", "hosqa", [("Independent Reviewing Officer", 2), ("Child Protection Chair", 1),
                              ("Practice Educator", 1)]),
    ("KYJ", "T-YJ", "tmyj", [("Youth Justice Case Manager", 6), ("Youth Justice Officer", 2)]),
    ("KPOL", "T-PPU", "dippu", [("Detective Constable", 5), ("Detective Sergeant", 2),
                                ("Police Staff Investigator", 1)]),
    ("KPOL", "T-MIS", "dimis", [("Detective Constable", 4), ("Missing Person Coordinator", 2),
                                ("Exploitation Analyst", 1), ("Detective Sergeant", 1)]),
    ("KCH", "T-SN", "slsn", [("School Nurse", 6), ("Community Staff Nurse", 2), ("Healthcare Assistant", 1)]),
    ("KMH", "T-CMHT", "tmcmht", [("Community Mental Health Nurse", 4), ("Mental Health Social Worker", 2),
                                 ("Clinical Psychologist", 1), ("Occupational Therapist", 1)]),
    ("KGH", "T-ED", "lned", [("Emergency Department Nurse", 4), ("Paediatric Emergency Nurse", 2),
                             ("Emergency Department Doctor", 1)]),
    ("KLT", "T-DSL", "tsl", [("Designated Safeguarding Lead", 8), ("Deputy Designated Safeguarding Lead", 2)]),
    ("KRS", None, "clinlead", [("Recovery Worker", 3), ("Family Recovery Worker", 1)]),
    ("KDA", None, "kdasm", [("Independent Domestic Violence Adviser", 2),
                            ("Children and Young People's Worker", 1)]),
]

SHIFT = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "07:00", "end": "19:00"}
# Exceptions for practitioners, by (team or agency, position in that group counting from 0).
OVERRIDES: dict[tuple[str, int], dict[str, Any]] = {
    ("T-FD", 3): {"working_pattern": {"days": [0, 1, 2, 3, 4, 5], "start": "08:00", "end": "18:00"}},
    ("T-FD", 8): {"working_pattern": {"days": [0, 1, 2]}},
    ("T-FD", 10): {"platform": ""},  # a new starter, not yet linked to Slack
    ("T-AS2", 2): {"timezone": "Europe/Lisbon", "working_pattern": {"days": [1, 2, 3]}},
    ("T-AS2", 6): {"working_pattern": {"days": [0, 1, 3, 4]}, "region": "WLS"},
    ("T-ADO", 4): {"working_pattern": {"days": [0, 1, 2, 3, 4], "start": "11:00", "end": "19:00"}},
    ("T-ADO", 9): {"platform": ""},
    ("T-EH", 1): {"working_pattern": {"days": [2, 3, 4]}},
    ("T-EH", 5): {"working_pattern": {"days": [0, 1, 2]}, "region": "WLS"},
    ("T-EWS", 3): {"working_pattern": {"days": [0, 1, 2, 3]}},
    ("T-QA", 1): {"region": "WLS"},
    ("T-YJ", 2): {"working_pattern": {"days": [0, 1, 2, 3, 4], "start": "10:00", "end": "18:00"}},
    ("T-YJ", 6): {"working_pattern": {"days": [1, 2, 3]}},
    ("T-PPU", 0): {"working_pattern": SHIFT},
    ("T-PPU", 1): {"working_pattern": SHIFT},
    ("T-PPU", 2): {"working_pattern": SHIFT, "region": "SCT"},
    ("T-MIS", 4): {"working_pattern": {"days": [0, 1, 2, 3, 4, 5, 6], "start": "08:00", "end": "20:00"}},
    ("T-MIS", 6): {"platform": "both"},
    ("T-SN", 1): {"working_pattern": {"days": [0, 1, 2]}},
    ("T-SN", 4): {"working_pattern": {"days": [1, 3, 4]}, "region": "WLS"},
    ("T-SN", 7): {"working_pattern": {"days": [0, 1, 2, 3]}},
    ("T-CMHT", 3): {"working_pattern": {"days": [0, 1, 2]}},
    ("T-CMHT", 6): {"timezone": "America/Toronto"},  # on a research secondment
    ("T-ED", 0): {"working_pattern": SHIFT},
    ("T-ED", 1): {"working_pattern": SHIFT, "platform": ""},
    ("T-ED", 2): {"working_pattern": SHIFT, "timezone": "Europe/Dublin", "region": "NIR"},
    ("T-ED", 3): {"working_pattern": SHIFT, "platform": ""},
    ("T-ED", 4): {"working_pattern": SHIFT},
    ("T-ED", 5): {"working_pattern": {"days": [4, 5, 6], "start": "07:00", "end": "19:00"}, "platform": ""},
    ("T-ED", 6): {"timezone": "Europe/Dublin", "region": "NIR"},
    ("T-DSL", 2): {"working_pattern": {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "16:00"}, "region": "SCT"},
    ("T-DSL", 5): {"working_pattern": {"days": [0, 1, 2]}},
    ("T-DSL", 8): {"platform": "", "region": "NIR"},
    ("T-DSL", 9): {"platform": "", "region": "SCT"},
    ("KRS", 0): {"working_pattern": {"days": [0, 1, 2, 3, 4], "start": "10:00", "end": "18:00"}},
    ("KRS", 3): {"working_pattern": {"days": [1, 2, 3]}},
    ("KDA", 1): {"working_pattern": {"days": [0, 2, 4]}},
}
# Exceptions for named people.
KEY_OVERRIDES: dict[str, dict[str, Any]] = {
    "pbm": {"platform": "both"}, "ptc": {"platform": "both"}, "lio": {"platform": "both"},
    "pdo": {"working_pattern": {"days": [0, 1, 2]}},
    "dimis": {"platform": "both"}, "desnurse": {"platform": "both"}, "clinlead": {"platform": "slack_council"},
    "tsl": {"platform": "both_slack"}, "desdoc": {"timezone": "Europe/Berlin"},
}
STATUS_WORDS = {
    "not_started": "Not started", "on_track": "On track", "at_risk": "At risk", "off_track": "Off track",
    "complete_awaiting_impact": "Complete awaiting impact", "closed_evidenced": "Closed",
}
CSV_COLUMNS = ["code", "recommendation", "title", "owner", "owner_role", "agency", "partners", "start", "due",
               "depends_on", "resources", "success_measure", "evidence_of_impact", "status", "impact_evidenced"]
# fmt: on


def build_people() -> list[dict[str, Any]]:
    """The roster as plain dictionaries, in a stable order: named people first, then each team."""
    rng = random.Random(20260120)  # noqa: S311 - shuffles fictional names; nothing secret
    names = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(names)
    people: list[dict[str, Any]] = []
    emails: dict[str, str] = {}
    for key, email, agency, team, roles, title, manager in KEY_PEOPLE:
        person = _person(names.pop(), email, agency, team, roles.split(), title, people)
        person["_manager"] = manager
        person.update(KEY_OVERRIDES.get(key, {}))
        emails[key] = person["email"]
        people.append(person)
    for agency, team, manager, jobs in TEAMS:
        titles = [title for title, count in jobs for _ in range(count)]
        for position, title in enumerate(titles):
            person = _person(names.pop(), None, agency, team, ["practitioner"], title, people)
            person["_manager"] = manager
            person.update(OVERRIDES.get((team or agency, position), {}))
            people.append(person)
    for person in people:
        manager_key = person.pop("_manager")
        if manager_key is not None:
            person["manager"] = emails[manager_key]
    return people


def _person(
    name: tuple[str, str],
    email: str | None,
    agency: str,
    team: str | None,
    roles: list[str],
    title: str,
    people: list[dict[str, Any]],
) -> dict[str, Any]:
    first, last = name
    if email is None:
        email = f"{first}.{last}@{DOMAINS[agency]}".lower()
        taken = {p["email"] for p in people}
        number = 2
        while email in taken:
            email = f"{first}.{last}{number}@{DOMAINS[agency]}".lower()
            number += 1
    return {
        "email": email,
        "name": f"{first} {last}",
        "agency": agency,
        "team": team,
        "roles": roles,
        "job_title": title,
        "timezone": "Europe/London",
        "region": "ENG",
        "platform": HOME_PLATFORM[agency],
    }


def _ids(person: dict[str, Any]) -> str:
    platform = person.pop("platform")
    aad = str(uuid.uuid5(uuid.NAMESPACE_URL, "aad:" + person["email"]))
    slack_home = SLACK_SCHOOLS if person["agency"] == "KLT" else SLACK_COUNCIL
    tenant = TEAMS_POLICE if person["agency"] == "KPOL" else TEAMS_NHS
    slack = {
        "slack_council": [SLACK_COUNCIL],
        "slack_schools": [SLACK_SCHOOLS],
        "both": [slack_home],
        "both_slack": [SLACK_SCHOOLS, SLACK_COUNCIL],
    }.get(platform, [])
    parts = []
    if slack:
        parts.append(
            "slack: [" + ", ".join(f"{{team: {t}, user: {_slack_user(t, person['email'])}}}" for t in slack) + "]"
        )
    if platform in ("teams_nhs", "teams_police", "both"):
        parts.append(f"teams: [{{tenant: {tenant}, aad: {aad}}}]")
    return "".join(", " + part for part in parts)


def _slack_user(workspace: str, email: str) -> str:
    """A stable, made-up Slack member id; the same person has a different id in each workspace."""
    digest = hashlib.sha256(f"{workspace}:{email}".encode()).hexdigest().upper()
    return "U0" + digest[:9]


def to_line(person: dict[str, Any]) -> str:
    ids = _ids(person)
    fields = [f"email: {person['email']}", f"name: {json.dumps(person['name'])}", f"agency: {person['agency']}"]
    if person["team"]:
        fields.append(f"team: {person['team']}")
    fields.append(f"roles: [{', '.join(person['roles'])}]")
    fields.append(f"job_title: {json.dumps(person['job_title'])}")
    if person.get("manager"):
        fields.append(f"manager: {person['manager']}")
    fields += [f"timezone: {person['timezone']}", f"region: {person['region']}"]
    if "working_pattern" in person:
        pattern = {"start": "09:00", "end": "17:00", **person["working_pattern"]}
        days = ", ".join(str(day) for day in pattern["days"])
        fields.append(f'working_pattern: {{days: [{days}], start: "{pattern["start"]}", end: "{pattern["end"]}"}}')
    return "    - {" + ", ".join(fields) + ids + "}\n"


def roster_text() -> str:
    return MARKER + "  participants:\n" + "".join(to_line(person) for person in build_people())


def programme_text(current: str) -> str:
    head = current.split(MARKER)[0]
    return head + roster_text()


def action_plan_text(programme: str) -> str:
    actions = yaml.safe_load(programme)["programme"]["actions"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        row = {key: action[key] for key in ("title", "owner", "owner_role", "agency", "start", "due")}
        row |= {key: action[key] for key in ("resources", "success_measure", "evidence_of_impact")}
        row |= {"code": action["id"], "recommendation": action["rec"], "status": STATUS_WORDS[action["status"]]}
        row |= {"partners": "; ".join(action["partners"]), "depends_on": "; ".join(action["depends_on"])}
        row |= {"impact_evidenced": action.get("impact_evidenced", "")}
        writer.writerow([row[column] for column in CSV_COLUMNS])
    return out.getvalue()


def main() -> None:
    path = HERE / "programme.yaml"
    text = programme_text(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    (HERE / "action-plan.csv").write_text(action_plan_text(text), encoding="utf-8")


if __name__ == "__main__":
    main()
