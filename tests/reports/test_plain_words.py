"""Acceptance: every report, in every format, in words a partnership board uses.

No internal identifier, key, platform error code or hash anywhere (schedule keys, snake_case codes, flag ids,
"outbox", "dead-lettered"); every column of every table shown is explained under it; the full action table is in
the HTML and the Word document, not only in the CSV.
"""

from __future__ import annotations

import re

import pytest
from docx import Document

from bot.reports.demo import demo_name
from handlers.reports import FORMATS, KINDS
from tests.reports.conftest import DemoReports
from tests.reports.test_no_quotes import output_text

JARGON = (
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # action_checkin, bot_blocked, user_not_found, not_started
    re.compile(r"\bcheckin\.", re.I),  # a schedule's key
    re.compile(r"\b[0-9a-f]{10,}\b"),  # a hash or a flag id
    re.compile(r"\bflag [0-9a-f]", re.I),
    re.compile(r"outbox|dead[- ]letter|idempoten|payload|schedule_id|programme_id", re.I),
    re.compile(r"\b(role|agency|team|forum):[A-Za-z]"),  # an audience as written in a command
    re.compile(r"\bPR-\d+\b"),  # a prompt's library id
    re.compile(r"\bT-[A-Z]+\b"),  # a team's code
    re.compile(r"All [\d,]+ rows are in the CSV"),
)


def docx_everything(demo: DemoReports, kind: str) -> str:
    document = Document(str(demo.path(demo_name(kind, "docx"))))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    properties = document.core_properties
    parts += [properties.title, properties.author, properties.subject, properties.comments]
    return "\n".join(parts)


def test_the_scan_finds_jargon():
    """Guard the guard: the words the issue found in the first reports are caught."""
    for said in (
        "action_checkin (weekly on MO at 10:00)",
        "checkin.CI-0",
        "bot_blocked",
        "dead-lettered",
        "the outbox",
        "flag 7366ce76",
        "role:practitioner",
        "prompt PR-11",
        "All 21 rows are in the CSV version of this report.",
    ):
        assert any(p.search(said) for p in JARGON), said


@pytest.mark.parametrize("kind", KINDS)
def test_no_report_shows_an_internal_id_hash_or_jargon(demo_reports: DemoReports, kind: str):
    for fmt in FORMATS[kind]:
        text = docx_everything(demo_reports, kind) if fmt == "docx" else output_text(demo_reports, kind, fmt)
        for pattern in JARGON:
            found = pattern.search(text)
            assert found is None, f"{kind}.{fmt} says {found.group(0)!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_explained_under_its_table(demo_reports: DemoReports, kind: str):
    for table in demo_reports.reports[kind].tables():
        if not table.shown_rows():
            continue
        explained = " ".join(name for name, _ in table.explain)
        missing = [column for column in table.columns if column not in explained]
        assert not missing, f"{kind}: {table.title} does not explain {missing}"
        html = demo_reports.path(demo_name(kind, "html")).read_text(encoding="utf-8")
        assert table.explanation().split(":")[0] in html


def test_the_full_action_table_is_in_the_html_and_the_word_document(demo_reports: DemoReports):
    report = demo_reports.reports["assurance"]
    table = report.table("actions")
    assert table is not None and len(table.shown_rows()) == len(table.rows) > 0
    html = demo_reports.path(demo_name("assurance", "html")).read_text(encoding="utf-8")
    document = Document(str(demo_reports.path(demo_name("assurance", "docx"))))
    word_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Action" and len(t.columns) == 13)
    assert len(word_table.rows) == len(table.rows) + 1
    for row in table.rows:
        assert f"<td>{row[2].text}</td>" in html.replace("&#x27;", "'")


def test_word_documents_are_from_the_partnership_and_carry_the_marking(demo_reports: DemoReports):
    programme = demo_reports.programme
    assert programme.governance.protective_marking == "OFFICIAL-SENSITIVE"
    for kind in KINDS:
        document = Document(str(demo_reports.path(demo_name(kind, "docx"))))
        properties = document.core_properties
        assert properties.author == programme.partnership != "python-docx"
        assert properties.title == demo_reports.reports[kind].title
        header = " ".join(p.text for p in document.sections[0].header.paragraphs)
        footer_xml = document.sections[0].footer._element.xml
        assert "OFFICIAL-SENSITIVE" in header
        assert "OFFICIAL-SENSITIVE" in footer_xml and " PAGE " in footer_xml and " NUMPAGES " in footer_xml
        cover = document.paragraphs[1].text
        assert programme.partnership in cover and programme.review_title in cover and "2026" in cover
        for section in document.sections[1:]:
            assert section.header.is_linked_to_previous and section.footer.is_linked_to_previous
        for shape in document.inline_shapes:
            assert shape._inline.docPr.get("descr")
