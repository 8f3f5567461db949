"""Opt-in peer learning: pairs (or trios) across agencies on a rotation, never the same two people twice if avoidable.

Only people who said ``/aftercare peers on`` take part. Each round forms pairs whose members come from
different agencies and have not been grouped together before; an odd person out joins a pair they have not met
(one wholly from other agencies when there is one) to make a trio.
Someone with no possible partner this round is left out of it rather than repeated. Each member is introduced
to the others with a conversation prompt from the library. Who was paired with whom is stored only for avoiding
repeats (storage/delivery_models.PeerPairRow) and shown only to the people in the group.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.library import Audience, Library, Prompt
from handlers.model import Participant
from handlers.reply import Block, Command, Inline, Reply, join, plain_text
from handlers.schedule_messages import Firing
from handlers.schedules import stage_for

TRIES = 200
Group = tuple[int, ...]


def pairs_in(groups: Iterable[Iterable[int]]) -> set[frozenset[int]]:
    """Every two people who have been in a group together."""
    return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}


def form_groups(people: Sequence[Participant], met: set[frozenset[int]], *, size: int = 2, seed: str) -> list[Group]:
    """Groups of ``size`` (odd ones out make trios) across agencies, avoiding pairs in ``met``; repeatable per seed."""
    rng = random.Random(seed)  # noqa: S311 - a fair shuffle, not a secret
    best: list[Group] = []
    for _ in range(TRIES):
        order = list(people)
        rng.shuffle(order)
        groups = _greedy(order, met, size)
        if sum(map(len, groups)) > sum(map(len, best)):
            best = groups
        if sum(map(len, best)) == len(people):
            break
    return sorted(tuple(sorted(g)) for g in best)


def _greedy(order: list[Participant], met: set[frozenset[int]], size: int) -> list[Group]:
    free = list(order)
    groups: list[list[Participant]] = []
    while free:
        group = [free.pop(0)]
        while len(group) < size:
            partner = next((p for p in free if _fits(p, group, met)), None)
            if partner is None:
                break
            free.remove(partner)
            group.append(partner)
        if len(group) >= 2:
            groups.append(group)
        else:
            _join_a_pair(group[0], groups, met)
    return [tuple(p.id for p in g) for g in groups]


def _join_a_pair(person: Participant, groups: list[list[Participant]], met: set[frozenset[int]]) -> None:
    """The odd one out joins a pair: one wholly from other agencies if possible, else one they have not met."""
    pairs = [g for g in groups if len(g) == 2 and not any(frozenset({person.id, o.id}) in met for o in g)]
    best = next((g for g in pairs if _fits(person, g, met)), None)
    best = best or next((g for g in pairs if any(o.agency != person.agency for o in g)), None)
    if best is not None:
        best.append(person)


def _fits(person: Participant, group: list[Participant], met: set[frozenset[int]]) -> bool:
    return all(person.agency != other.agency and frozenset({person.id, other.id}) not in met for other in group)


def conversation_prompt(library: Library, firing: Firing, round_number: int) -> Prompt | None:
    stage = stage_for(firing.programme, firing.local.date())
    forum = library.prompts_for(stage, Audience.FORUM) or [p for p in library.prompts if p.audience is Audience.FORUM]
    return forum[round_number % len(forum)] if forum else None


def introduction(
    person: Participant, others: list[Participant], agencies: Mapping[str, str], prompt: Prompt | None
) -> Reply:
    def describe(p: Participant) -> str:
        title = f"{p.job_title}, " if p.job_title else ""
        return f"{p.name} ({title}{agencies.get(p.agency, p.agency)}, {p.email})"

    names = " and ".join(describe(p) for p in others)
    lines: list[str | tuple[Inline, ...]] = [
        f"Peer learning: this round you are paired with {names}.",
        "Find half an hour in the next few weeks, in whatever way suits you, to talk about how the review's "
        "learning is landing in your work.",
    ]
    if prompt is not None:
        lines.append(f"A question to start with: {prompt.text}")
    lines.append(("Only the people in this group can see it. To stop, write ", Command("aftercare peers off"), "."))
    blocks = tuple(
        Block(kind="section" if i < len(lines) - 1 else "context", text=line) for i, line in enumerate(lines)
    )
    return Reply(text=plain_text(join("\n", lines)), blocks=blocks, ephemeral=False)


def introductions(
    firing: Firing,
    groups: Sequence[Group],
    people: Mapping[int, Participant],
    agencies: Mapping[str, str],
    prompt: Prompt | None,
    round_key: str,
) -> list[OutboxMessage]:
    messages = []
    for group in groups:
        members = [people[i] for i in group if i in people]
        for person in members:
            others = [p for p in members if p.id != person.id]
            reply = introduction(person, others, agencies, prompt)
            messages.append(firing.message(person, MessageKind.PEERS, reply, round_key))
    return messages
