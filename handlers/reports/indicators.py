"""Indicator trends: per check-in statement, cohort and cycle, the median and the share answering 4–5, with n.

A figure is shown only where n reaches k (the higher ``sensitive_k`` for psychological safety and challenge), and
small agencies are first rolled up into "other agencies"; everything goes through ``Disclosure`` (the threshold
module).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handlers.count_table import CohortPath, CountTable, IndicatorSummary, SafeTable, ScoreCounts, describe_cohort
from handlers.cycles import COMBINED
from handlers.library import Indicator
from handlers.reports.disclosure import Disclosure, count_cell, percent, summary_cell
from handlers.reports.facts import Context, Participation, ScoreCount
from handlers.reports.model import Cell, Chart, Panel, Report, Section, Series, Table, cell, listing, threshold_note
from handlers.thresholds import effective_k, response_rate

WHOLE: CohortPath = ()
GROUP_EXPLAINED = ("Group", "everyone in the programme, or one agency; agencies too small to show are combined.")


@dataclass(frozen=True)
class ItemFigures:
    item: Indicator
    k: int
    safe: SafeTable


@dataclass(frozen=True)
class IndicatorResult:
    report: Report
    items: tuple[ItemFigures, ...]
    cycles: tuple[str, ...]

    def latest(self, measures: str) -> tuple[str, IndicatorSummary] | None:
        """The latest shown whole-programme figure for the item measuring ``measures``."""
        for figures in self.items:
            if figures.item.measures == measures:
                for cycle in reversed(figures.safe.columns):
                    found = figures.safe.cell(WHOLE, cycle)
                    if found.shown and isinstance(found.value, IndicatorSummary):
                        return cycle, found.value
        return None


def cycle_order(ctx: Context, seen: Iterable[str]) -> tuple[str, ...]:
    planned = [c.code for c in sorted(ctx.programme.checkins, key=lambda c: c.date)]
    return (*(c for c in planned if c in set(seen)), *sorted(set(seen) - set(planned)))


def cycle_label(ctx: Context, code: str) -> str:
    found = next((c for c in ctx.programme.checkins if c.code == code), None)
    return f"{code} ({found.date:%b %Y})" if found else code


def cohort_label(ctx: Context, path: CohortPath) -> str:
    if not path:
        return "Whole programme"
    if path[-1] == COMBINED:
        return "Smaller agencies combined"
    name = describe_cohort(path)
    return ctx.agency_name(name) if name == path[-1] else name.capitalize()


def measure_title(item: Indicator) -> str:
    return item.measures.replace("_", " ").capitalize()


def item_tables(scores: Sequence[ScoreCount], cycles: tuple[str, ...]) -> dict[str, CountTable]:
    """One table of answers per item: rows are cohorts, columns the cycles in which the item was asked."""
    counts: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(lambda: defaultdict(dict))
    for row in scores:
        if 1 <= row.score <= 5:
            counts[row.item][row.cohort].setdefault(row.cycle, [0, 0, 0, 0, 0])[row.score - 1] += row.people
    tables: dict[str, CountTable] = {}
    for item, by_cohort in counts.items():
        columns = tuple(c for c in cycles if any(c in per_cycle for per_cycle in by_cohort.values()))
        rows: dict[CohortPath, list[ScoreCounts]] = {
            (cohort,): [_scores(per_cycle.get(c, [0] * 5)) for c in columns]
            for cohort, per_cycle in sorted(by_cohort.items())
        }
        tables[item] = CountTable.of_scores(columns, rows)
    return tables


def _scores(counts: list[int]) -> ScoreCounts:
    return ScoreCounts(counts=(counts[0], counts[1], counts[2], counts[3], counts[4]))


def build_indicators(
    ctx: Context,
    items: Sequence[Indicator],
    scores: Sequence[ScoreCount],
    taking_part: Sequence[Participation],
    disclosure: Disclosure,
) -> IndicatorResult:
    gov = ctx.programme.governance
    cycles = cycle_order(ctx, {s.cycle for s in scores} | {p.cycle for p in taking_part})
    tables = item_tables(scores, cycles)
    figures: list[ItemFigures] = []
    for item in items:
        if item.id in tables:
            k = effective_k(gov.k, sensitive=item.sensitive, sensitive_k=gov.sensitive_k)
            figures.append(ItemFigures(item, k, disclosure.by_cycle(tables[item.id], k, item.id)))
    sections = [_item_section(ctx, f) for f in figures]
    shown = sum(1 for s in sections for t in s.tables for row in t.rows for c in row[1:] if not c.hidden)
    sections.insert(0, _taking_part(ctx, taking_part, cycles, disclosure))
    summary = (
        f"{len(figures)} check-in statements over {len(cycles)} cycles; {shown} figures are large enough to show. "
        f"Each shows the middle answer (median, 1 to 5) and the share answering Agree or Strongly agree."
    )
    report = Report(
        kind="indicators",
        title="How practitioners say practice is changing",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=gov.k,
        summary=summary if figures else "No check-in answers have been received yet.",
        sections=tuple(sections),
        chart=_trend_chart(ctx, figures),
        csv_table="indicator-figures",
        data=(_long_table(ctx, figures),),
        footnote=threshold_note(gov.k, gov.sensitive_k),
    )
    return IndicatorResult(report, tuple(figures), cycles)


def _item_section(ctx: Context, figures: ItemFigures) -> Section:
    safe = figures.safe
    rows = tuple(
        (cell(cohort_label(ctx, cohort)), *(summary_cell(safe, cohort, c) for c in safe.columns))
        for cohort in safe.cohorts
    )
    note = f"Shown for groups of at least {figures.k} people." + (
        " This question is about feeling safe to speak up, so it needs a larger group."
        if figures.item.sensitive
        else ""
    )
    table = Table(
        key=f"indicator-{figures.item.id}",
        title=f"{figures.item.id}: {measure_title(figures.item)}",
        columns=("Group", *(cycle_label(ctx, c) for c in safe.columns)),
        rows=rows,
        note=note,
        explain=(
            GROUP_EXPLAINED,
            (
                listing([cycle_label(ctx, c) for c in safe.columns]),
                "the middle answer (median) from 1, strongly disagree, to 5, strongly agree; the share who answered "
                "Agree or Strongly agree; and n, how many people answered.",
            ),
        ),
    )
    return Section(
        heading=f"{figures.item.id}: {measure_title(figures.item)}", paragraphs=(figures.item.text,), tables=(table,)
    )


def _taking_part(
    ctx: Context, rows: Sequence[Participation], cycles: tuple[str, ...], disclosure: Disclosure
) -> Section:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if row.kind == "checkin":
            counts[(row.cohort, row.cycle)] += row.people
    columns = tuple(c for c in cycles if any(cycle == c for _, cycle in counts))
    if not columns:
        return Section(heading="Who answered", paragraphs=("Nobody has answered a check-in yet.",))
    cohorts = sorted({cohort for cohort, _ in counts})
    table = CountTable.of_counts(columns, {(c,): [counts.get((c, col), 0) for col in columns] for c in cohorts})
    k = ctx.programme.governance.k
    safe = disclosure.by_cycle(table, k, "taking part: checkin")
    rows_out = [
        (cell(cohort_label(ctx, cohort)), *(count_cell(safe, cohort, col) for col in safe.columns))
        for cohort in safe.cohorts
    ]
    rates: list[Cell] = [cell("Share of the programme")]
    for col in safe.columns:
        whole = safe.cell(WHOLE, col)
        rate = response_rate(whole.value, ctx.people, k) if whole.shown and isinstance(whole.value, int) else None
        rates.append(cell(percent(rate), n=whole.n) if rate is not None else Cell(text="not shown", hidden=True))
    table_out = Table(
        key="checkin-taking-part",
        title="People who answered each check-in",
        columns=("Group", *(cycle_label(ctx, c) for c in safe.columns)),
        rows=(*rows_out, tuple(rates)),
        explain=(
            GROUP_EXPLAINED,
            (
                listing([cycle_label(ctx, c) for c in safe.columns]),
                "how many people answered that check-in; the last row is the share of everyone in the programme.",
            ),
        ),
    )
    return Section(heading="Who answered", tables=(table_out,))


def _long_table(ctx: Context, figures: Sequence[ItemFigures]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for f in figures:
        for cohort in f.safe.cohorts:
            for cycle in f.safe.columns:
                found = summary_cell(f.safe, cohort, cycle)
                value = f.safe.cell(cohort, cycle).value
                numbers = (
                    (
                        cell(value.n, n=value.n),
                        cell(f"{value.median:g}", n=value.n),
                        cell(percent(value.share_agree), n=value.n),
                    )
                    if isinstance(value, IndicatorSummary)
                    else (cell(""), cell(""), cell(""))
                )
                note = Cell(text=found.text, hidden=True) if found.hidden else cell("")
                rows.append(
                    (
                        cell(f.item.id),
                        cell(measure_title(f.item)),
                        cell(cycle),
                        cell(cohort_label(ctx, cohort)),
                        *numbers,
                        note,
                    )
                )
    return Table(
        key="indicator-figures",
        title="Every indicator figure, one row each",
        columns=(
            "Item",
            "Measures",
            "Cycle",
            "Group",
            "People answering (n)",
            "Median (1-5)",
            "Share answering 4-5",
            "Not shown because",
        ),
        rows=tuple(rows),
        show_at_most=0,
    )


def _trend_chart(ctx: Context, figures: Sequence[ItemFigures]) -> Chart:
    panels = []
    for f in figures:
        values: list[float | None] = []
        for cycle in f.safe.columns:
            found = f.safe.cell(WHOLE, cycle)
            values.append(
                round(found.value.share_agree * 100, 1)
                if isinstance(found.value, IndicatorSummary) and found.value.share_agree is not None
                else None
            )
        categories = tuple(cycle_label(ctx, c) for c in f.safe.columns)
        series = Series(label="Whole programme", values=tuple(values), colour="blue")
        panels.append(Panel(title=f"{f.item.id}: {measure_title(f.item)}", categories=categories, series=(series,)))
    return Chart(
        kind="lines",
        title="Share of people who agree, check-in by check-in",
        x_label="Check-in",
        y_label="Agree or strongly agree (%)",
        panels=tuple(panels),
        y_max=100,
        alt="Line charts, one per check-in statement, of the share of people answering Agree or Strongly agree "
        "at each check-in, for the whole programme. Points are missing where too few people answered.",
    )
