"""Acceptance, looked at as a person would: every Word report through LibreOffice and every HTML report through
headless Chromium, to PDF and PNG pages, checked for what a board member would notice.

- No word in a table is broken (a column narrower than its longest word wraps it letter by letter): every word of
  every table cell is found whole in the PDF's text layer.
- Nothing runs off the page; the page count is within bounds; the brief is one page.
- Word: the protective marking in the header and footer, and "Page N of M", on every page.
- HTML: axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) finds no serious or critical violation; no table cell's text
  overflows it; the page itself never scrolls sideways, even in a narrow window.

Slow (LibreOffice and Chromium start many times), so marked ``render``: `make test-render`, which .ci/run runs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.reports.demo import demo_name
from handlers.reports import FORMATS, KINDS
from handlers.reports.model import Report
from tests.reports.conftest import DemoReports
from tests.reports.rendering import (
    axe_check,
    docx_to_pdf,
    html_to_pdf,
    pdf_pages,
    pdf_text,
    pdf_to_png,
    pdf_words,
    pieces,
)

pytestmark = pytest.mark.render

DOCX_KINDS = [kind for kind in KINDS if "docx" in FORMATS[kind]]
HTML_KINDS = [kind for kind in KINDS if "html" in FORMATS[kind]]
MOST_PAGES = {"brief": 1, "assurance": 14, "indicators": 10, "themes": 6, "delivery": 6, "priorities": 4}
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Rendered:
    folder: Path
    pdfs: dict[tuple[str, str], Path]


@pytest.fixture(scope="module")
def rendered(demo_reports: DemoReports, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("rendered")
    documents = [demo_reports.path(demo_name(kind, "docx")) for kind in DOCX_KINDS]
    docx_to_pdf(documents, folder)
    pdfs = {(kind, "docx"): folder / f"{demo_name(kind, 'docx').removesuffix('.docx')}.pdf" for kind in DOCX_KINDS}
    for kind in HTML_KINDS:
        pdf = folder / f"{kind}-html.pdf"
        html_to_pdf(demo_reports.path(demo_name(kind, "html")), pdf, folder / "chromium-profile")
        pdfs[(kind, "html")] = pdf
    for (kind, fmt), pdf in pdfs.items():  # pictures of every page, for a person to look at
        pdf_to_png(pdf, folder / f"page-{kind}-{fmt}")
    return Rendered(folder, pdfs)


def table_words(report: Report) -> set[str]:
    words: set[str] = set()
    for table in report.tables():
        for row in (table.columns, *([c.text for c in row] for row in table.shown_rows())):
            for text in row:
                words |= pieces(text)
    return words


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("kind", DOCX_KINDS)
def test_no_word_in_a_table_is_broken_and_nothing_runs_off_the_page(
    rendered: Rendered, demo_reports: DemoReports, kind: str, fmt: str
):
    if (kind, fmt) not in rendered.pdfs:
        pytest.skip(f"{kind} has no {fmt}")
    pdf = rendered.pdfs[(kind, fmt)]
    boxes = pdf_words(pdf)
    found = set().union(*(pieces(box.word) for box in boxes))
    broken = sorted(w for w in table_words(demo_reports.reports[kind]) if len(w) > 1 and w not in found)
    assert not broken, f"{kind}.{fmt}: words broken across lines (a column too narrow): {broken[:8]}"
    outside = [b.word for b in boxes if b.x_min < 0 or b.y_min < 0 or b.x_max > b.width or b.y_max > b.height]
    assert not outside, f"{kind}.{fmt}: text off the page: {outside[:8]}"
    assert 1 <= pdf_pages(pdf) <= MOST_PAGES[kind]


def test_the_guard_finds_a_word_broken_letter_by_letter(tmp_path: Path):
    """Guard the guard: through the very same Word renderer, a column narrower than its word is caught."""
    from docx import Document

    from bot.reports.docx_out import add_table
    from bot.reports.layout import Layout
    from handlers.reports.model import Table, cell

    document = Document()
    table = Table(key="t", title="Narrow", columns=("Recommendation", "Outcome"), rows=((cell("R1"), cell("Safer")),))
    add_table(document, table, Layout(landscape=False, font_pt=8.5, widths_cm=(0.9, 12.0)))
    path = tmp_path / "narrow.docx"
    document.save(str(path))
    docx_to_pdf([path], tmp_path)
    found = set().union(*(pieces(box.word) for box in pdf_words(tmp_path / "narrow.pdf")))
    assert "Outcome" in found and "Recommendation" not in found


@pytest.mark.parametrize("kind", DOCX_KINDS)
def test_every_word_page_has_the_marking_and_its_page_number(rendered: Rendered, kind: str):
    pdf = rendered.pdfs[(kind, "docx")]
    pages = pdf_pages(pdf)
    for page in range(1, pages + 1):
        text = " ".join(pdf_text(pdf, page).split())
        assert text.count(MARKING) >= 2, f"{kind} page {page}: the marking is not in both header and footer"
        assert f"Page {page} of {pages}" in text, f"{kind} page {page}: no page number"


def test_the_brief_is_one_page_in_word_and_in_print(rendered: Rendered):
    assert pdf_pages(rendered.pdfs[("brief", "docx")]) == 1
    assert pdf_pages(rendered.pdfs[("brief", "html")]) == 1


@pytest.mark.parametrize("kind", HTML_KINDS)
def test_html_passes_axe_core_and_nothing_overflows(demo_reports: DemoReports, kind: str, tmp_path: Path):
    page = demo_reports.path(demo_name(kind, "html"))
    for width in (1280, 760):
        result = axe_check(page, tmp_path, tmp_path / f"profile-{width}", width=width)
        assert isinstance(result["passes"], int) and result["passes"] > 5, "axe-core did not really run"
        grave = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]  # type: ignore[attr-defined]
        assert not grave, f"{kind} at {width}px: {grave}"
        assert result["overflowingCells"] == 0, f"{kind} at {width}px: text overflows a table cell"
        assert int(str(result["pageWidth"])) <= int(str(result["viewport"])), f"{kind} at {width}px: sideways"


def test_axe_core_finds_a_real_violation(tmp_path: Path):
    """Guard the guard: a page with an unlabelled image and faint text fails."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:,">'
        '<p style="color:#ddd;background:#fff">faint</p></main></body></html>',
        encoding="utf-8",
    )
    result = axe_check(page, tmp_path, tmp_path / "profile")
    ids = {v["id"] for v in result["violations"]}  # type: ignore[attr-defined]
    assert {"image-alt", "color-contrast", "html-has-lang"} <= ids


def test_the_demo_keeps_a_picture_of_every_report_page(demo_reports: DemoReports, tmp_path: Path):
    from bot.reports.pictures import page_pictures

    documents = [demo_reports.path(demo_name(kind, "docx")) for kind in DOCX_KINDS]
    pages = [demo_reports.path(demo_name(kind, "html")) for kind in HTML_KINDS]
    written, missing = page_pictures(tmp_path, documents, pages)
    assert missing == []
    for kind in DOCX_KINDS:
        assert f"report-{kind}-docx-1.png" in written
    for kind in HTML_KINDS:
        assert f"report-{kind}-html-1.png" in written
    assert all((tmp_path / "pages" / name).stat().st_size > 2000 for name in written)


def test_pages_are_kept_as_pictures(rendered: Rendered, demo_reports: DemoReports):
    pictures = sorted(rendered.folder.glob("page-*.png"))
    for kind in DOCX_KINDS:
        assert any(p.name.startswith(f"page-{kind}-docx-") for p in pictures)
    for picture in pictures:
        assert picture.stat().st_size > 2000
        shutil.copy(picture, demo_reports.folder / picture.name)
