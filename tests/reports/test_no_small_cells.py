"""Acceptance: no cell rests on fewer than k respondents, checked against the raw data of the demo database.

Every figure about people in every report carries its n; each is checked against k (sensitive items against
sensitive_k) and recomputed from the raw rows. The CSV and the text of every format are then checked too.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter, defaultdict

from docx import Document

from bot.prompt_files import default_folder, load_library
from bot.reports.demo import demo_name
from bot.reports.render import render
from handlers.reports import FORMATS, KINDS
from tests.reports.conftest import DemoReports

SENSITIVE = {"IND-02", "IND-04"}


def raw_answers(demo: DemoReports) -> dict[tuple[str, str, str], list[int]]:
    """(item, cycle, cohort) → every score given (prefer-not-to-say left out)."""
    found: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    with demo.raw() as db:
        for item, cycle, cohort, score in db.execute(
            "SELECT item, cycle, cohort, score FROM indicator_responses WHERE score IS NOT NULL"
        ):
            found[(item, cycle, cohort)].append(score)
    return found


def cohort_codes(demo: DemoReports) -> dict[str, str]:
    with demo.raw() as db:
        names = {name: code for code, name in db.execute("SELECT code, name FROM agencies")}
    return {**names, "Smaller agencies combined": "combined"}


def test_every_figure_about_people_has_n_of_at_least_k(demo_reports: DemoReports):
    k = demo_reports.programme.governance.k
    sensitive_k = demo_reports.programme.governance.sensitive_k
    checked = 0
    for report in demo_reports.reports.values():
        for table in report.tables():
            floor = sensitive_k if any(item in table.key for item in SENSITIVE) else k
            for row in table.rows:
                for cell in row:
                    if cell.n is not None:
                        assert cell.n >= floor, (report.kind, table.key, cell)
                        checked += 1
    assert checked > 100


def test_indicator_csv_matches_the_raw_answers(demo_reports: DemoReports):
    gov = demo_reports.programme.governance
    answers, codes = raw_answers(demo_reports), cohort_codes(demo_reports)
    text = demo_reports.path(demo_name("indicators", "csv")).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        if row["Group"] in codes:
            named[(row["Item"], row["Cycle"])].add(codes[row["Group"]])
    shown = 0
    for row in rows:
        item, cycle, group = row["Item"], row["Cycle"], row["Group"]
        n = row["People answering (n)"]
        if not n:
            assert row["Not shown because"] and not row["Median (1-5)"] and not row["Share answering 4-5"]
            continue
        cohorts = {c for (i, y, c) in answers if i == item and y == cycle}
        if group == "Whole programme":
            members = cohorts
        elif group == "Other agencies":
            members = cohorts - named[(item, cycle)]
        else:
            members = {codes[group]}
        scores = [s for c in members for s in answers.get((item, cycle, c), [])]
        assert int(n) == len(scores), row
        k = gov.sensitive_k if item in SENSITIVE else gov.k
        assert int(n) >= k, row
        assert float(row["Median (1-5)"]) == statistics.median(scores), row
        agreeing = sum(1 for s in scores if s >= 4)
        share = f"{round(100 * agreeing / len(scores))}%" if min(agreeing, len(scores) - agreeing) >= k else "not shown"
        assert row["Share answering 4-5"] == share, row  # a share needs k people on each side
        shown += 1
    assert shown > 40


def test_themes_match_the_raw_reflections(demo_reports: DemoReports):
    k = demo_reports.programme.governance.k
    per_tag: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with demo_reports.raw() as db:
        for cycle, contributor, tags in db.execute(
            "SELECT cycle, contributor, tags FROM reflections WHERE in_themes = 1"
        ):
            for tag in re.findall(r'"(\w+)"', tags):
                per_tag[tag][cycle].add(contributor)
    labels = {t.label: t.id for t in load_library(default_folder()).tags}
    table = demo_reports.reports["themes"].table("themes-by-tag")
    assert table is not None and table.rows
    for row in table.rows:
        tag = labels[row[0].text]
        people = max(len(who) for who in per_tag[tag].values())
        assert people >= 3  # a theme needs at least three different people
        if row[2].hidden:
            assert people < k or "earlier report" in row[2].text
        else:
            assert int(row[2].text) == people >= k
    assert not any(max(len(w) for w in per_tag[t].values()) < 3 for t in (labels[r[0].text] for r in table.rows))


def test_taking_part_matches_the_raw_counts(demo_reports: DemoReports):
    k = demo_reports.programme.governance.k
    with demo_reports.raw() as db:
        raw: Counter[tuple[str, str]] = Counter()
        for cycle, cohort, count in db.execute(
            "SELECT cycle, cohort, count FROM participation_counts WHERE kind = 'checkin'"
        ):
            raw[(cycle, cohort)] += count
    codes = cohort_codes(demo_reports)
    table = demo_reports.reports["indicators"].table("checkin-taking-part")
    assert table is not None
    cycles = [c.split(" ")[0] for c in table.columns[1:]]
    for row in table.rows:
        group = row[0].text
        if group in ("Share of the programme", "Other agencies"):
            continue
        for cycle, cell in zip(cycles, row[1:], strict=True):
            if cell.hidden:
                continue
            expected = (
                sum(v for (y, _), v in raw.items() if y == cycle)
                if group == "Whole programme"
                else raw[(cycle, codes[group])]
            )
            assert int(cell.text) == expected >= k


def numbers_after_n(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\(n=(\d+)\)", text)]


def test_no_format_prints_an_n_below_k(demo_reports: DemoReports):
    k = demo_reports.programme.governance.k
    for kind in KINDS:
        for fmt in FORMATS[kind]:
            path = demo_reports.path(demo_name(kind, fmt))
            if fmt in ("md", "html", "csv"):
                text = path.read_text(encoding="utf-8")
            elif fmt == "docx":
                document = Document(str(path))
                cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
                text = "\n".join([p.text for p in document.paragraphs] + cells)
            else:
                continue
            assert all(n >= k for n in numbers_after_n(text)), (kind, fmt)
            assert "fewer than" not in text or f"fewer than {k}" in text


def test_rendering_twice_gives_the_same_figures(demo_reports: DemoReports):
    """The session's second build (same day, same data) agrees with the files the demo wrote."""
    for kind in ("indicators", "themes"):
        again = render(demo_reports.reports[kind], "csv").decode("utf-8")
        assert again == demo_reports.path(demo_name(kind, "csv")).read_text(encoding="utf-8")
