"""A report as a Word document (python-docx), for partnerships that work in Word.

Headings use Word's built-in heading styles (so the navigation pane and screen readers see the structure), the
chart has alternative text, and RAG cells are shaded with the same light tints as the HTML and say the colour in
words.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from bot.reports.charts import render_png
from bot.reports.html import TINTS
from handlers.reports.model import Cell, Report, Table

TABLE_HALF_POINTS = "17"  # 8.5 pt


def _shade(target: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), TINTS[colour].lstrip("#"))
    target._tc.get_or_add_tcPr().append(shading)


def _fill(target: _Cell, value: Cell | str, *, bold: bool = False) -> None:
    """Write a cell's text as one small run, building the XML directly (python-docx's API is slow per cell)."""
    cell = value if isinstance(value, Cell) else Cell(text=value)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for flag, tag in ((bold, "w:b"), (cell.hidden, "w:i")):
        if flag:
            properties.append(OxmlElement(tag))
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), TABLE_HALF_POINTS)
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = cell.text
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    target.paragraphs[0]._p.append(run)
    if cell.colour:
        _shade(target, cell.colour)


def add_table(document: DocumentObject, table: Table) -> None:
    if not table.rows:
        document.add_paragraph(f"{table.title}: {table.empty}")
        return
    rows = table.shown_rows()
    if rows:
        caption = document.add_paragraph(table.title)
        caption.runs[0].bold = True
        grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
        grid.style = "Table Grid"
        cells = grid._cells
        width = len(table.columns)
        for j, name in enumerate(table.columns):
            _fill(cells[j], name, bold=True)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                _fill(cells[i * width + j], value)
    if table.more:
        document.add_paragraph(table.more_text())
    if table.note:
        document.add_paragraph(table.note).runs[0].italic = True


def render_docx(report: Report) -> bytes:
    document = Document()
    brief = report.kind == "brief"
    _page(document, brief)
    document.core_properties.title = report.title
    document.core_properties.subject = report.subtitle
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.subtitle}. Position on {report.as_of:%d %B %Y}.")
    document.add_paragraph(report.summary).runs[0].bold = True
    if report.chart is not None:
        shape = document.add_picture(io.BytesIO(render_png(report.chart)), width=Cm(16))
        shape._inline.docPr.set("descr", report.chart.alt or report.chart.title)
        shape._inline.docPr.set("title", report.chart.title)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
        for table in section.tables:
            add_table(document, table)
    if report.footnote:
        document.add_paragraph(report.footnote).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document: DocumentObject, brief: bool) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9.5 if brief else 10.5)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        margin = Cm(1.5 if brief else 2.0)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    if brief:
        for level in (1,):
            heading = document.styles[f"Heading {level}"]
            heading.font.size = Pt(12)
            heading.paragraph_format.space_before = Pt(6)
