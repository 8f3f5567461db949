"""Acceptance: on the demo programme every report file opens.

HTML renders in headless Chromium (a screenshot is saved and must not be blank); the learning brief prints on one
A4 page; DOCX opens with python-docx; PNGs are valid images that carry the expected title.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from bot.reports.charts import figure_for
from bot.reports.demo import demo_name
from bot.reports.pictures import HEADLESS_FLAGS
from handlers.reports import FORMATS, KINDS
from tests.reports.conftest import DemoReports, chromium

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HTML_KINDS = [kind for kind in KINDS if "html" in FORMATS[kind]]


def run_chromium(*args: str, profile: Path) -> None:
    command = [
        str(chromium()),
        *HEADLESS_FLAGS,
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=90)


def test_demo_writes_every_report_in_every_format(demo_reports: DemoReports):
    expected = {demo_name(kind, fmt) for kind in KINDS for fmt in FORMATS[kind]}
    assert set(demo_reports.files) == expected
    for name in expected:
        assert demo_reports.path(name).stat().st_size > 60, name


@pytest.mark.parametrize("kind", HTML_KINDS)
def test_html_renders_in_headless_chromium(demo_reports: DemoReports, kind: str, tmp_path: Path):
    page = demo_reports.path(demo_name(kind, "html"))
    shot = demo_reports.folder / f"screenshot-{kind}.png"
    run_chromium(f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri(), profile=tmp_path / "profile")
    assert shot.read_bytes().startswith(PNG_MAGIC)
    with Image.open(shot) as image:
        assert image.size == (1280, 1600)
        grey = image.convert("L")
        histogram = grey.histogram()
        assert sum(histogram[200:]) > 0 and sum(histogram[:60]) > 0, "the page rendered blank"
        dark = sum(grey.histogram()[:128])
        assert dark > 2000, "too little text on the page"


def test_html_is_self_contained_and_accessible(demo_reports: DemoReports):
    for kind in HTML_KINDS:
        html = demo_reports.path(demo_name(kind, "html")).read_text(encoding="utf-8")
        assert '<html lang="en-GB">' in html
        assert html.count("<h1>") == 1
        assert not re.search(r'(src|href)="(https?:)?//', html), f"{kind} loads something from the network"
        for image in re.findall(r"<img [^>]*>", html):
            assert 'alt="' in image and 'alt=""' not in image
        assert '<th scope="col">' in html or "<table" not in html
        assert "@media print" in html


def test_learning_brief_prints_on_one_page(demo_reports: DemoReports, tmp_path: Path):
    pdf = tmp_path / "brief.pdf"
    page = demo_reports.path(demo_name("brief", "html"))
    run_chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri(), profile=tmp_path / "profile")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == 1


@pytest.mark.parametrize("kind", [kind for kind in KINDS if "docx" in FORMATS[kind]])
def test_docx_opens_with_python_docx(demo_reports: DemoReports, kind: str):
    document = Document(str(demo_reports.path(demo_name(kind, "docx"))))
    report = demo_reports.reports[kind]
    assert document.core_properties.title == report.title
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert [s.heading for s in report.sections] == headings
    shown_tables = [t for t in report.tables() if t.rows and t.shown_rows()]
    assert len(document.tables) == len(shown_tables)
    if report.chart is not None:
        assert len(document.inline_shapes) == 1
    if kind == "brief":
        words = sum(len(p.text.split()) for p in document.paragraphs)
        assert words < 600, "the brief should fit on one page"


@pytest.mark.parametrize("kind", [kind for kind in KINDS if "png" in FORMATS[kind]])
def test_png_is_a_valid_image_with_the_expected_title(demo_reports: DemoReports, kind: str):
    path = demo_reports.path(demo_name(kind, "png"))
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    chart = demo_reports.reports[kind].chart
    assert chart is not None
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.width >= 900 and image.height >= 300
        assert image.text["Title"] == chart.title  # type: ignore[attr-defined]
    figure = figure_for(chart)
    assert figure.get_suptitle() == chart.title
    for ax in figure.axes:
        if ax.get_visible() and ax.has_data():
            assert ax.get_xlabel() and ax.get_ylabel()
