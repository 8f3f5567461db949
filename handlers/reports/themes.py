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
    listing,
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
MAX_TERMS = 5


@dataclass(frozen=True)
class ThemeLine:
    candidate: ThemeCandidate
    title: str
    description: str
    people: Cell
    groups: str
    short: str = ""  # for the chart


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
    lines = tuple(_line(ctx, c, safe) for c in visible)
    by_tag = [line for line in lines if line.candidate.kind == "tag"]
    by_wording = [line for line in lines if line.candidate.kind == "wording"]
    conditions = _conditions(ctx, by_tag, indicators)
    sections = (
        *_theme_sections(candidates, by_tag, by_wording),
        Section(heading="Conditions that help learning embed", paragraphs=_CONDITIONS_INTRO, bullets=conditions),
        Section(heading="Every theme", tables=(_csv_table(lines),)),
    )
    summary = (
        f"{plural(len(by_tag), 'theme')} by tag and {plural(len(by_wording), 'group')} of similar wording met the "
        f"threshold (at least {max(MIN_THEME_CONTRIBUTORS, gov.theme_min_contributors)} different people, in a group "
        f"of at least {gov.k}). Themes are described in our own words; nothing anyone wrote is quoted."
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
        footnote=threshold_note(gov.k),
    )
    return ThemesResult(report, lines, conditions)


def _theme_sections(
    candidates: Sequence[ThemeCandidate], by_tag: Sequence[ThemeLine], by_wording: Sequence[ThemeLine]
) -> tuple[Section, Section]:
    hidden_tags = sum(1 for c in candidates if c.kind == "tag") - len(by_tag)
    hidden_wording = sum(1 for c in candidates if c.kind == "wording") - len(by_wording)
    wording = _table("themes-by-wording", "Groups of reflections with similar wording", by_wording)
    return (
        Section(
            heading="Themes by tag",
            paragraphs=_tag_intro(hidden_tags),
            tables=(_table("themes-by-tag", "Themes by tag", by_tag),),
        ),
        Section(heading="Themes in the wording", paragraphs=_wording_intro(hidden_wording), tables=(wording,)),
    )


def _publish(visible: Sequence[ThemeCandidate], k: int, disclosure: Disclosure) -> SafeTable | None:
    if not visible:
        return None
    table = CountTable.of_counts([c.key for c in visible], {ROW: [c.people for c in visible]})
    return disclosure.by_measure(table, k, PERIOD)


def _line(ctx: Context, candidate: ThemeCandidate, safe: SafeTable | None) -> ThemeLine:
    people = count_cell(safe, (), candidate.key) if safe is not None else Cell(text="", hidden=True)
    groups = str(len(candidate.cohorts)) if not people.hidden else "not shown"
    if candidate.kind == "tag":
        label = ctx.tag_label(candidate.tag)
        return ThemeLine(candidate, label, ctx.tag_description(candidate.tag), people, groups, label)
    number = candidate.key.partition(":")[2]
    short = f"Wording group {number}" + (f" ({ctx.tag_label(candidate.tags[0][0])})" if candidate.tags else "")
    return ThemeLine(
        candidate, _wording_title(ctx, candidate), _wording_description(ctx, candidate), people, groups, short
    )


def usable_terms(ctx: Context, candidate: ThemeCandidate) -> list[str]:
    """Terms at least 3 different people used, that are not on the programme's never-store list or numbers."""
    needed = max(MIN_THEME_CONTRIBUTORS, ctx.programme.governance.theme_min_contributors)
    banned = {word.lower() for word in ctx.programme.governance.never_store}
    terms = [
        t.term
        for t in candidate.terms
        if t.people >= needed and not any(ch.isdigit() for ch in t.term) and not set(t.term.lower().split()) & banned
    ]
    pairs = {word for term in terms if " " in term for word in term.split()}
    return [term for term in terms if " " in term or term not in pairs][:MAX_TERMS]


def _wording_title(ctx: Context, candidate: ThemeCandidate) -> str:
    number = candidate.key.partition(":")[2]
    tags = [f"'{ctx.tag_label(tag)}'" for tag, _ in candidate.tags[:2]]
    return f"Wording group {number}: mostly tagged {' and '.join(tags)}" if tags else f"Wording group {number}"


def _wording_description(ctx: Context, candidate: ThemeCandidate) -> str:
    terms = usable_terms(ctx, candidate)
    said = (
        f"These reflections often come back to {listing(terms)}."
        if terms
        else "The wording varies too much to summarise without quoting."
    )
    first = candidate.tags[0][0] if candidate.tags else ""
    about = f" Related to: {ctx.tag_description(first)}" if first and ctx.tag_description(first) else ""
    return said + about


def _table(key: str, title: str, lines: Sequence[ThemeLine]) -> Table:
    rows = tuple((cell(line.title), cell(line.description), line.people, cell(line.groups)) for line in lines)
    ordered = tuple(sorted(rows, key=lambda row: -(row[2].n or 0)))
    return Table(
        key=key,
        title=title,
        columns=("Theme", "In our words", "Different people (at least)", "Groups"),
        rows=ordered,
        empty="No theme reached the threshold yet.",
    )


def _csv_table(lines: Sequence[ThemeLine]) -> Table:
    rows = tuple(
        (cell(line.candidate.kind), cell(line.title), cell(line.description), line.people, cell(line.groups))
        for line in lines
    )
    return Table(
        key="themes",
        title="Every theme shown",
        columns=("Kind", "Theme", "In our words", "Different people (at least)", "Groups"),
        rows=rows,
        show_at_most=0,
    )


def _tag_intro(hidden: int) -> tuple[str, ...]:
    text = "People choose up to three tags when they reflect. A tag is shown when enough different people used it."
    return (text, f"{plural(hidden, 'other tag')} had too few different people to show.") if hidden else (text,)


def _wording_intro(hidden: int) -> tuple[str, ...]:
    text = (
        "Reflections were also grouped by the words they use (a repeatable statistical grouping). Each group is "
        "described by its most characteristic words that at least three different people used."
    )
    return (text, f"{plural(hidden, 'other group')} had too few different people to show.") if hidden else (text,)


_CONDITIONS_INTRO = (
    "Learning lasts where people have time, supervision that makes space to think, and leaders who treat reviews "
    "as a chance to learn rather than to blame. What practitioners tell us about those conditions:",
)


def _conditions(ctx: Context, by_tag: Sequence[ThemeLine], indicators: IndicatorResult | None) -> tuple[str, ...]:
    bullets = [
        f"{line.title}: "
        + (
            f"raised by {line.people.text} different people."
            if not line.people.hidden
            else "raised, by too few people to count here."
        )
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
