"""A report as a Word document (python-docx), fit to circulate to a partnership board.

A4, with the protective marking from the programme file in the header and footer of every page and "Page N of M"
(Word fields, so the numbers are right however the document is edited); the partnership as author and the report's
title in the document properties; a cover line with the partnership, the review and the date; Word's own heading
styles (the navigation pane and screen readers see the structure); alternative text on the chart. Wide tables get a
landscape section of their own, and every column is set at least as wide as its longest word (bot/reports/layout.py)
with the heading row repeated on every page. RAG cells are shaded with the HTML's light tints and say the colour in
words.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bot.reports.charts import render_png
from bot.reports.html import TINTS
from bot.reports.layout import Layout, layout
from handlers.reports.model import Cell, Report, Section, Table

NOTE_PT = 8.5


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_xml(value: Cell | str, width: int, half_points: str, *, bold: bool = False) -> str:
    cell = value if isinstance(value, Cell) else Cell(text=value)
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{TINTS[cell.colour].lstrip("#")}"/>' if cell.colour else ""
    flags = ("<w:b/>" if bold else "") + ("<w:i/>" if cell.hidden else "")
    text = escape(_CONTROL.sub(" ", cell.text))
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr><w:p><w:r><w:rPr>{flags}'
        f'<w:sz w:val="{half_points}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'
    )


def table_xml(table: Table, shape: Layout) -> str:
    """The whole table as WordprocessingML, parsed once: fixed layout, set widths, the heading row on every page.
    (Building it element by element through python-docx takes seconds for an action plan of thousands.)"""
    widths = [int(Cm(w).twips) for w in shape.widths_cm]
    size = str(round(shape.font_pt * 2))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(_cell_xml(name, w, size, bold=True) for name, w in zip(table.columns, widths, strict=True))
    rows = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(_cell_xml(value, w, size) for value, w in zip(row, widths, strict=True))
        + "</w:tr>"
        for row in table.shown_rows()
    )
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>{rows}</w:tbl>"
    )


def add_table(document: DocumentObject, table: Table, shape: Layout) -> None:
    if not table.rows:
        document.add_paragraph(f"{table.title}: {table.empty}")
        return
    if table.shown_rows():
        caption = document.add_paragraph()
        caption.add_run(table.title).bold = True
        caption.paragraph_format.keep_with_next = True
        document.element.body._insert_tbl(parse_xml(table_xml(table, shape)))
    for text in (table.more_text(), table.explanation(), table.note):
        if text:
            _note(document.add_paragraph(text))


def _note(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.italic = True
        run.font.size = Pt(NOTE_PT)


def render_docx(report: Report) -> bytes:
    document = Document()
    brief = report.kind == "brief"
    _styles_for(document, brief)
    _properties(document, report)
    first = document.sections[0]
    _orient(first, landscape=False, brief=brief)
    _header_and_footer(first, report)
    document.add_heading(report.title, level=0)
    _note(document.add_paragraph(report.cover()))
    document.add_paragraph(report.summary).runs[0].bold = True
    if report.chart is not None:
        shape = document.add_picture(io.BytesIO(render_png(report.chart)), width=Cm(16))
        shape._inline.docPr.set("descr", report.chart.alt or report.chart.title)
        shape._inline.docPr.set("title", report.chart.title)
    landscape = False
    for section in report.sections:
        shapes = [layout(table) for table in section.tables]
        wide = any(shape.landscape for shape in shapes)
        if wide != landscape:
            _orient(document.add_section(WD_SECTION.NEW_PAGE), landscape=wide, brief=brief)
            landscape = wide
        _add_section(document, section, shapes)
    if report.footnote:
        _note(document.add_paragraph(report.footnote))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_section(document: DocumentObject, section: Section, shapes: list[Layout]) -> None:
    document.add_heading(section.heading, level=1)
    for paragraph in section.paragraphs:
        document.add_paragraph(paragraph)
    for bullet in section.bullets:
        document.add_paragraph(bullet, style="List Bullet")
    for table, shape in zip(section.tables, shapes, strict=True):
        add_table(document, table, shape)


def _properties(document: DocumentObject, report: Report) -> None:
    properties = document.core_properties
    properties.title = report.title
    properties.subject = report.subtitle
    properties.author = report.partnership or report.subtitle.split(" · ")[0]
    properties.last_modified_by = properties.author
    properties.category = report.marking
    properties.keywords = "; ".join(filter(None, (report.marking, "child safeguarding practice review")))
    properties.comments = report.summary[:250]


def _orient(section: DocxSection, *, landscape: bool, brief: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Cm(21.0), Cm(29.7)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    margin = Cm(1.5 if brief or landscape else 2.0)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Cm(0.7)


def _header_and_footer(section: DocxSection, report: Report) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(header, report.marking, bold=True)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.marking:
        _small(footer, f"{report.marking}   ·   ", bold=True)
    _small(footer, f"{report.title}   ·   Page ")
    _field(footer, "PAGE")
    _small(footer, " of ")
    _field(footer, "NUMPAGES")


def _small(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        run.bold = bold


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in on every page."""
    for kind, text in (("begin", ""), ("instr", f" {code} "), ("separate", ""), ("text", "1"), ("end", "")):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _styles_for(document: DocumentObject, brief: bool) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9.5 if brief else 10.5)
    if brief:
        heading = document.styles["Heading 1"]
        heading.font.size = Pt(12)
        heading.paragraph_format.space_before = Pt(6)
