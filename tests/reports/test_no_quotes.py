"""Acceptance: no reflection is quoted. No run of six or more words from any reflection appears in any output."""

from __future__ import annotations

import re
from html import unescape

from docx import Document

from bot.reports.demo import demo_name
from handlers.reports import FORMATS, KINDS
from tests.reports.conftest import DemoReports

N = 6


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def ngrams(text: str, n: int = N) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + n]) for i in range(len(found) - n + 1)}


def reflection_ngrams(demo: DemoReports) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    with demo.raw() as db:
        for (text,) in db.execute("SELECT text FROM reflections WHERE text IS NOT NULL"):
            grams |= ngrams(text)
    return grams


def output_text(demo: DemoReports, kind: str, fmt: str) -> str:
    path = demo.path(demo_name(kind, fmt))
    if fmt == "docx":
        document = Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "png":  # the words drawn on a chart are the chart model's words
        chart = demo.reports[kind].chart
        assert chart is not None
        parts = [chart.title, chart.alt, *(p.title for p in chart.panels)]
        parts += [c for p in chart.panels for c in p.categories] + [m.label for m in chart.marks]
        return "\n".join(parts)
    text = path.read_text(encoding="utf-8")
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"base64,[A-Za-z0-9+/=]+", "", text))) if fmt == "html" else text


def test_the_check_finds_a_quote():
    """Guard the guard: a sentence pasted into an output is caught."""
    quoted = ngrams("They said: we only join them up when someone happens to ask, in the end.")
    assert quoted & ngrams("we only join them up when someone happens to ask")


def test_no_output_quotes_a_reflection(demo_reports: DemoReports):
    said = reflection_ngrams(demo_reports)
    assert len(said) > 150  # the demo's voices repeat themselves, so there are fewer than one might think
    for kind in KINDS:
        for fmt in FORMATS[kind]:
            found = ngrams(output_text(demo_reports, kind, fmt)) & said
            assert not found, f"{kind}.{fmt} repeats reflection wording: {sorted(found)[:3]}"


def test_reports_never_name_people(demo_reports: DemoReports):
    with demo_reports.raw() as db:
        people = [(name, email) for name, email in db.execute("SELECT name, email FROM participants")]
    for kind in KINDS:
        for fmt in FORMATS[kind]:
            text = output_text(demo_reports, kind, fmt)
            for name, email in people:
                assert email not in text, (kind, fmt, email)
                assert name not in text, (kind, fmt, name)
