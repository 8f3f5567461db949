"""The themes-and-conditions note: themes by tag and by wording, paraphrased, never quoted, and thresholded.

A theme appears only when ``theme_visible`` allows it (at least 3 different people, in a group of at least k); its
number of people is a figure like any other and is shown only when it reaches k. Wording themes are described by
their most characteristic words that at least 3 different people used, and by the tags their reflections carry:
never by a sentence anyone wrote. Reflections kept out of themes (distress, unless the author said yes) are never
among the facts this module receives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers.count_table import CountTable, SafeTable
from handlers.reports.disclosure import Disclosure, agree_text, count_cell, median_text
from handlers.reports.facts import Context, ThemeCandidate
from handlers.reports.indicators import IndicatorResult
from handlers.reports.model import (
    Cell,
    Chart,
    Panel,
    Report,
    Section,
    Series,
    Table,
    cell,
    plural,
    threshold_note,
)
from handlers.thresholds import MIN_THEME_CONTRIBUTORS, theme_visible

ROW = ("programme",)
PERIOD = "themes: every cycle"
CONDITION_TAGS = (
    "supervision_reflection",
    "leadership_culture",
    "learning_embedding",
    "wellbeing_impact",
    "good_practice",
)
CONDITION_MEASURES = (
    "reflective_supervision",
    "capacity_to_embed",
    "psychological_safety",
    "confidence_applying_learning",
)
MAX_TERMS = 4
MAX_PHRASE_WORDS = 5
PEOPLE_AND_GROUPS = ("Different people (at least)", "Groups")
PEOPLE_EXPLAINED = (
    "Different people (at least)",
    "the most different people in any one check-in period (people cannot be followed across periods).",
)
GROUPS_EXPLAINED = ("Groups", "how many agencies they came from (small agencies count as one combined group).")


@dataclass(frozen=True)
class ThemeLine:
    candidate: ThemeCandidate
    title: str
    description: str
    people: Cell
    groups: str
    short: str = ""  # for the chart
    tags: str = ""  # for wording: the tags its reflections carry most


@dataclass(frozen=True)
class ThemesResult:
    report: Report
    lines: tuple[ThemeLine, ...]
    conditions: tuple[str, ...]


def build_themes(
    ctx: Context,
    candidates: Sequence[ThemeCandidate],
    disclosure: Disclosure,
    indicators: IndicatorResult | None = None,
) -> ThemesResult:
    gov = ctx.programme.governance
    visible = [c for c in candidates if theme_visible(c.people, ctx.people, gov.theme_min_contributors, gov.k)]
    safe = _publish(visible, gov.k, disclosure)
    # A theme whose number of people is held back is left out altogether: every theme shown has its number.
    lines = tuple(line for line in (_line(ctx, c, safe) for c in visible) if not line.people.hidden)
    by_tag = [line for line in lines if line.candidate.kind == "tag"]
    by_wording = [line for line in lines if line.candidate.kind == "wording"]
    conditions = _conditions(ctx, by_tag, indicators)
    sections = (
        *_theme_sections(ctx, candidates, by_tag, by_wording),
        Section(heading="Conditions that help learning embed", paragraphs=_CONDITIONS_INTRO, bullets=conditions),
    )
    tag_table, wording_table = sections[0].tables[0], sections[1].tables[0]
    summary = (
        f"{plural(len(tag_table.rows), 'theme')} by tag and {plural(len(wording_table.rows), 'group')} of similar "
        f"wording were raised by at least {gov.k} different people each. Themes are described by their tags and by "
        f"short phrases at least {gov.k} different people used; nothing anyone wrote is quoted."
    )
    report = Report(
        kind="themes",
        title="Themes and conditions: what practitioners are reflecting on",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=gov.k,
        summary=summary,
        sections=sections,
        chart=_chart(lines),
        csv_table="themes",
        data=(_csv_table(lines),),
        footnote=threshold_note(gov.k),
    )
    return ThemesResult(report, lines, conditions)


def _theme_sections(
    ctx: Context,
    candidates: Sequence[ThemeCandidate],
    by_tag: Sequence[ThemeLine],
    by_wording: Sequence[ThemeLine],
) -> tuple[Section, Section]:
    hidden_tags = sum(1 for c in candidates if c.kind == "tag") - len(by_tag)
    hidden_wording = sum(1 for c in candidates if c.kind == "wording") - len(by_wording)
    k = ctx.programme.governance.k
    return (
        Section(heading="Themes by tag", paragraphs=_tag_intro(hidden_tags, k), tables=(_tag_table(by_tag),)),
        Section(
            heading="Themes in people's own words",
            paragraphs=_wording_intro(hidden_wording, k),
            tables=(_wording_table(by_wording, k),),
        ),
    )


def _publish(visible: Sequence[ThemeCandidate], k: int, disclosure: Disclosure) -> SafeTable | None:
    if not visible:
        return None
    table = CountTable.of_counts([c.key for c in visible], {ROW: [c.people for c in visible]})
    return disclosure.by_measure(table, k, PERIOD)


def _line(ctx: Context, candidate: ThemeCandidate, safe: SafeTable | None) -> ThemeLine:
    people = count_cell(safe, (), candidate.key) if safe is not None else Cell(text="", hidden=True)
    groups = str(len(candidate.cohorts))
    if candidate.kind == "tag":
        label = ctx.tag_label(candidate.tag)
        return ThemeLine(candidate, label, ctx.tag_description(candidate.tag), people, groups, label)
    number = candidate.key.partition(":")[2]
    tags = "; ".join(ctx.tag_label(tag) for tag, _ in candidate.tags[:2]) or "no tag"
    title = f"Similar wording {number}"
    return ThemeLine(candidate, title, phrases_text(ctx, candidate), people, groups, f"{title} ({tags})", tags)


def usable_phrases(ctx: Context, candidate: ThemeCandidate) -> list[str]:
    """Phrases of 2 to 5 words at least k different people used, without the never-store words or numbers."""
    gov = ctx.programme.governance
    needed = max(MIN_THEME_CONTRIBUTORS, gov.theme_min_contributors, gov.k)
    banned = {word.lower() for word in gov.never_store}
    return [
        p.term
        for p in candidate.phrases
        if p.people >= needed
        and 2 <= len(p.term.split()) <= MAX_PHRASE_WORDS
        and not any(ch.isdigit() for ch in p.term)
        and not set(p.term.lower().split()) & banned
    ][:MAX_TERMS]


def phrases_text(ctx: Context, candidate: ThemeCandidate) -> str:
    phrases = usable_phrases(ctx, candidate)
    if not phrases:
        return "The wording varies too much to describe without quoting anyone."
    return "; ".join(f"\u201c{phrase}\u201d" for phrase in phrases)


def _tag_table(lines: Sequence[ThemeLine]) -> Table:
    rows = tuple((cell(line.title), cell(line.description), line.people, cell(line.groups)) for line in lines)
    return Table(
        key="themes-by-tag",
        title="Themes by tag",
        columns=("Theme", "What it covers", "Different people (at least)", "Groups"),
        rows=_by_people(rows, 2),
        empty="No tag was used by enough different people yet.",
        explain=(
            ("Theme", "a tag people chose when they reflected."),
            ("What it covers", "the tag's description, in our words."),
            PEOPLE_EXPLAINED,
            GROUPS_EXPLAINED,
        ),
    )


def _wording_table(lines: Sequence[ThemeLine], k: int) -> Table:
    rows = tuple(
        (cell(line.title), cell(line.description), cell(line.tags), line.people, cell(line.groups)) for line in lines
    )
    return Table(
        key="themes-by-wording",
        title="Groups of reflections with similar wording",
        columns=("Group", f"Phrases at least {k} people used", "Tags most often chosen", *PEOPLE_AND_GROUPS),
        rows=_by_people(rows, 3),
        empty="No group of similar wording was large enough yet.",
        explain=(
            ("Group", "reflections that use similar words, numbered from the largest."),
            (f"Phrases at least {k} people used", "short phrases (2 to 5 words), never a whole sentence."),
            ("Tags most often chosen", "the tags those reflections carry most."),
            PEOPLE_EXPLAINED,
            GROUPS_EXPLAINED,
        ),
    )


def _by_people(rows: tuple[tuple[Cell, ...], ...], column: int) -> tuple[tuple[Cell, ...], ...]:
    return tuple(sorted(rows, key=lambda row: -(row[column].n or 0)))


def _csv_table(lines: Sequence[ThemeLine]) -> Table:
    rows = tuple(
        (
            cell("tag" if line.candidate.kind == "tag" else "similar wording"),
            cell(line.title),
            cell(line.description),
            cell(line.tags),
            line.people,
            cell(line.groups),
        )
        for line in lines
    )
    return Table(
        key="themes",
        title="Every theme shown",
        columns=("Kind", "Theme", "What it covers, or phrases people used", "Tags", *PEOPLE_AND_GROUPS),
        rows=rows,
    )


def _tag_intro(hidden: int, k: int) -> tuple[str, ...]:
    text = (
        f"People choose up to three tags when they reflect. A tag is shown when at least {k} different people used it."
    )
    return (text, f"{plural(hidden, 'other tag')} had too few different people to show.") if hidden else (text,)


def _wording_intro(hidden: int, k: int) -> tuple[str, ...]:
    text = (
        "Reflections were also grouped by the words they use (a repeatable statistical grouping). Each group is "
        f"described by short phrases that at least {k} different people used, and by the tags its reflections carry."
    )
    return (text, f"{plural(hidden, 'other group')} had too few different people to show.") if hidden else (text,)


_CONDITIONS_INTRO = (
    "Learning lasts where people have time, supervision that makes space to think, and leaders who treat reviews "
    "as a chance to learn rather than to blame. What practitioners tell us about those conditions:",
)


def _conditions(ctx: Context, by_tag: Sequence[ThemeLine], indicators: IndicatorResult | None) -> tuple[str, ...]:
    bullets = [
        f"{line.title}: raised by at least {line.people.text} different people."
        for line in by_tag
        if line.candidate.tag in CONDITION_TAGS
    ]
    for measures in CONDITION_MEASURES:
        latest = indicators.latest(measures) if indicators else None
        if latest is not None:
            cycle, value = latest
            title = measures.replace("_", " ")
            bullets.append(
                f"Check-in on {title} ({cycle}): {agree_text(value)}, median {median_text(value.median)} (n={value.n})."
            )
    return tuple(bullets) or ("Not enough yet to say: no condition reached the threshold.",)


def _chart(lines: Sequence[ThemeLine]) -> Chart:
    shown = sorted((line for line in lines if line.people.n is not None), key=lambda line: -(line.people.n or 0))[:15]
    panel = Panel(
        title="",
        categories=tuple(line.short for line in shown),
        series=(
            Series(
                label="Different people (at least)",
                values=tuple(float(line.people.n or 0) for line in shown),
                colour="blue",
            ),
        ),
    )
    return Chart(
        kind="bars",
        title="Themes people reflected on, by how many different people raised them",
        x_label="Number of different people (at least)",
        y_label="Theme",
        panels=(panel,),
        alt="Bar chart of the themes shown in this report and how many different people raised each; themes raised "
        "by too few people are left out.",
    )
