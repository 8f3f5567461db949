"""The forums of a programme file, as broadcast audiences (``forum:F-MA``).

A forum in the file may say exactly who is in it, or describe them in words, or both::

    forums:
      - {id: F-MA, name: "Child T learning forum", members_roles: ["Team managers from T-ADO, T-FD"]}
      - {id: F-QA, name: "QA group", members: [ann@council.example], teams: [T-QA], agencies: [KPOL],
         roles: [lead]}

``members`` (emails) are exact; ``teams``/``agencies`` and ``roles`` are exact and narrow each other (``teams:
[T-QA], roles: [lead]`` is the leads of T-QA). Each ``members_roles`` description is read
for the team or agency codes it names and its role words (managers; leads, heads, directors, partners;
practitioners, workers; facilitators): a person matches a description when they have one of its roles (if it
names any) in one of its teams or agencies (if it names any). A description with neither matches nobody, and the
broadcast says so, rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from handlers.model import Frozen, Participant, Role

ROLE_WORDS = {
    "manager": Role.MANAGER,
    "lead": Role.LEAD,
    "head": Role.LEAD,
    "director": Role.LEAD,
    "partner": Role.LEAD,
    "practitioner": Role.PRACTITIONER,
    "worker": Role.PRACTITIONER,
    "facilitator": Role.FACILITATOR,
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


class Forum(Frozen):
    id: str
    name: str = ""
    members: tuple[str, ...] = ()  # emails, lower case
    teams: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    described: tuple[str, ...] = ()  # members_roles, in words


def forums_from(document: Sequence[dict[str, Any]]) -> list[Forum]:
    """The ``forums`` list of a programme file; entries without an id are left out."""
    found = []
    for entry in document:
        if not isinstance(entry, dict) or not str(entry.get("id") or "").strip():
            continue
        found.append(
            Forum(
                id=str(entry["id"]).strip(),
                name=str(entry.get("name") or ""),
                members=tuple(str(e).strip().lower() for e in _list(entry.get("members"))),
                teams=tuple(str(t) for t in _list(entry.get("teams"))),
                agencies=tuple(str(a) for a in _list(entry.get("agencies"))),
                roles=tuple(r for r in Role if r.value in {str(x).lower() for x in _list(entry.get("roles"))}),
                described=tuple(str(d) for d in _list(entry.get("members_roles"))),
            )
        )
    return found


def forum_members(forum: Forum, people: Sequence[Participant]) -> list[Participant]:
    """Everyone the forum's entry names or describes, each once, in the order given."""
    codes = {code for p in people for code in (p.team, p.agency) if code}
    tests = [(set(forum.roles), {*forum.teams, *forum.agencies})]
    tests += [_description(text, codes) for text in forum.described]
    return [
        person
        for person in people
        if person.email.lower() in forum.members or any(_matches(person, roles, named) for roles, named in tests)
    ]


def _description(text: str, codes: set[str]) -> tuple[set[Role], set[str]]:
    words = WORD.findall(text)
    named = {word for word in words if word in codes}
    roles = {ROLE_WORDS[w.lower().removesuffix("s")] for w in words if w.lower().removesuffix("s") in ROLE_WORDS}
    return roles, named


def _matches(person: Participant, roles: set[Role], named: set[str]) -> bool:
    if not roles and not named:
        return False
    in_place = not named or person.team in named or person.agency in named
    return in_place and (not roles or person.has(*roles))


def _list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
