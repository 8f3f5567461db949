"""Who an audience reaches: unions of ``all``, ``agency:ID``, ``team:ID``, ``role:ROLE``, ``forum:ID`` and ``#channel``.

Pure: the caller passes the programme's people, agencies and teams. Each part that reaches nobody says why, so a
broadcast to nobody can be refused with the reason and a partly empty one can say which part matched nobody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from handlers.forums import Forum, forum_members
from handlers.model import Agency, Frozen, Participant, Role, Team

CONSOLE = "console"


class Resolution(Frozen):
    people: tuple[Participant, ...] = ()
    channels: tuple[str, ...] = ()  # Slack channel addresses, "TEAM:#name"
    empty: tuple[tuple[str, str], ...] = ()  # (part, why it reached nobody)

    @property
    def size(self) -> int:
        return len(self.people) + len(self.channels)

    def reasons(self) -> str:
        return "; ".join(f"{part}: {why}" for part, why in self.empty)


def address_of(person: Participant) -> tuple[str, str]:
    """The platform and address a person's messages go to: their first Slack account, then Teams, else the console."""
    for platform in ("slack", "teams"):
        for account in person.on(platform):
            return platform, f"{account.workspace}:{account.user_id}"
    return CONSOLE, person.email


def resolve(
    parts: Sequence[str],
    people: Sequence[Participant],
    agencies: Sequence[Agency],
    teams: Sequence[Team],
    actor: Participant | None = None,
    forums: Sequence[Forum] = (),
) -> Resolution:
    """The union of every part, each person once, in email order."""
    chosen: dict[int, Participant] = {}
    channels: list[str] = []
    empty: list[tuple[str, str]] = []
    for part in parts:
        if part.startswith("#"):
            address, why = _channel(part, people, actor)
            if address is None:
                empty.append((part, why))
            elif address not in channels:
                channels.append(address)
            continue
        if part.lower().startswith("forum:"):
            found, why = _forum(part.partition(":")[2], people, forums)
        else:
            found, why = _people(part, people, agencies, teams)
        if not found:
            empty.append((part, why))
        for person in found:
            chosen.setdefault(person.id, person)
    ordered = tuple(sorted(chosen.values(), key=lambda p: p.email))
    return Resolution(people=ordered, channels=tuple(channels), empty=tuple(empty))


def _people(
    part: str, people: Sequence[Participant], agencies: Sequence[Agency], teams: Sequence[Team]
) -> tuple[list[Participant], str]:
    kind, _, value = part.partition(":")
    kind = kind.lower()
    if kind == "all":
        return list(people), "nobody is in this programme yet"
    if kind == "agency":
        code = _known(value, [a.code for a in agencies])
        if code is None:
            return [], f"there is no agency {value} (agencies: {', '.join(a.code for a in agencies)})"
        return [p for p in people if p.agency == code], f"nobody from {code} is in the programme yet"
    if kind == "team":
        code = _known(value, [t.code for t in teams])
        if code is None:
            return [], f"there is no team {value}"
        return [p for p in people if p.team == code], f"nobody is in team {code} yet"
    if kind == "role":
        role = next((r for r in Role if r.value == value.lower()), None)
        if role is None:
            return [], f"{value} is not a role; roles are {', '.join(r.value for r in Role)}"
        return [p for p in people if role in p.roles], f"nobody has the role {role.value}"
    return [], "this is not an audience"


def _forum(value: str, people: Sequence[Participant], forums: Sequence[Forum]) -> tuple[list[Participant], str]:
    forum = next((f for f in forums if f.id.lower() == value.lower()), None)
    if forum is None:
        known = ", ".join(f.id for f in forums) or "none in the programme file"
        return [], f"there is no forum {value} (forums: {known})"
    return forum_members(forum, people), f"the programme file names nobody in the programme for {forum.id} yet"


def _channel(part: str, people: Sequence[Participant], actor: Participant | None) -> tuple[str | None, str]:
    name = part[1:]
    workspace = actor.on("slack")[0].workspace if actor is not None and actor.on("slack") else None
    if workspace is None:
        counted = Counter(account.workspace for p in people for account in p.on("slack"))
        workspace = counted.most_common(1)[0][0] if counted else None
    if workspace is None:
        return None, f"nobody in this programme is on Slack, so there is no #{name} to post in"
    return f"{workspace}:#{name}", ""


def _known(value: str, codes: Sequence[str]) -> str | None:
    return next((code for code in codes if code.lower() == value.lower()), None)
