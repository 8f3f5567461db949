"""A report as one self-contained HTML file: the chart inline, accessible tables, and a print style for A4.

Accessible: a language, one h1 and ordered headings, table captions and header scopes, a text alternative for the
chart, and RAG shown in words as well as colour (light tints keep text contrast above 4.5:1).
"""

from __future__ import annotations

import base64
from html import escape

from bot.reports.charts import render_png
from handlers.reports.model import Cell, Report, Table

TINTS = {
    "green": "#d7efe6",
    "amber": "#fbe9c8",
    "red": "#f7dccd",
    "blue": "#d3e5f3",
    "grey": "#e8e8e8",
    "sky": "#dcf0fb",
}
EDGES = {
    "green": "#00704f",
    "amber": "#9a6700",
    "red": "#a33f00",
    "blue": "#005a8c",
    "grey": "#5c5c5c",
    "sky": "#2b7fae",
}

STYLE = """
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1a1a1a; background: #fff; margin: 2rem auto;
       max-width: 62rem; padding: 0 1rem; line-height: 1.45; font-size: 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; } h2 { font-size: 1.25rem; margin: 1.8rem 0 .5rem;
       border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
.subtitle { color: #444; margin: 0 0 1rem; } .summary { font-size: 1.08rem; background: #f3f7fa;
       border-left: 4px solid #0072B2; padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
td.hidden { color: #555; font-style: italic; }
td.rag { border-left-width: 6px; }
.wide, .grid { overflow-x: auto; margin: .4rem 0 0; } .wide table { font-size: .82rem; }
.marking { text-align: center; font-weight: 700; letter-spacing: .04em; margin: 0 0 1rem; font-size: .85rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption, .note, footer { color: #444; font-size: .88rem; }
footer { border-top: 1px solid #ccc; margin-top: 2rem; padding-top: .6rem; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  .wide table { font-size: 7pt; } .wide th, .wide td { padding: .15rem .25rem; }
  h2 { break-after: avoid; } figure { break-inside: avoid; } tr { break-inside: avoid; }
  thead { display: table-header-group; } .wide, .grid { overflow: visible; }
  .summary { background: none; }
}
"""
BRIEF_STYLE = """
body { max-width: 50rem; font-size: .95rem; } h2 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
ul { margin: .2rem 0 .4rem 1.2rem; padding: 0; } li { margin: .15rem 0; }
@media print { body { font-size: 9.5pt; } h1 { font-size: 15pt; } .marking { font-size: 7.5pt; margin: 0 0 1mm; }
  footer { margin-top: .5rem; padding-top: .3rem; font-size: 7.5pt; } .summary { padding: .3rem .6rem; } }
"""


def _cell(c: Cell) -> str:
    classes = []
    style = ""
    if c.hidden:
        classes.append("hidden")
    if c.colour:
        classes.append("rag")
        style = f' style="background:{TINTS[c.colour]};border-left-color:{EDGES[c.colour]}"'
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}{style}>{escape(c.text)}</td>"


WIDE_FROM = 8  # columns: a table this wide scrolls on its own on a narrow screen and prints in smaller type


def table_html(table: Table) -> str:
    if not table.rows:
        return f'<p class="note"><strong>{escape(table.title)}:</strong> {escape(table.empty)}</p>'
    parts = []
    rows = table.shown_rows()
    if rows:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
        body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
        caption = f"<caption>{escape(table.title)}</caption>"
        grid = f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        wide = len(table.columns) >= WIDE_FROM
        label = f' role="region" tabindex="0" aria-label="{escape(table.title)}"' if wide else ""
        parts.append(f'<div class="{"wide" if wide else "grid"}"{label}>{grid}</div>')
    for text in (table.more_text(), table.explanation(), table.note):
        if text:
            parts.append(f'<p class="note">{escape(text)}</p>')
    return "".join(parts)


def chart_html(report: Report) -> str:
    chart = report.chart
    if chart is None:
        return ""
    data = base64.b64encode(render_png(chart)).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(chart.alt or chart.title)}">'
        f"<figcaption>{escape(chart.title)}</figcaption></figure>"
    )


def render_html(report: Report) -> str:
    sections = []
    for section in report.sections:
        parts = [f"<h2>{escape(section.heading)}</h2>"]
        parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        if section.bullets:
            parts.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in section.bullets) + "</ul>")
        parts += [table_html(t) for t in section.tables]
        sections.append(f"<section>{''.join(parts)}</section>")
    style = STYLE + (BRIEF_STYLE if report.kind == "brief" else "")
    footer = f"<footer>{escape(report.footnote)}</footer>" if report.footnote else ""
    marking = f'<p class="marking">{escape(report.marking)}</p>\n' if report.marking else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{style}</style>\n</head>\n<body>\n<main>\n"
        f"{marking}<h1>{escape(report.title)}</h1>\n"
        f'<p class="subtitle">{escape(report.cover())}</p>\n'
        f'<p class="summary">{escape(report.summary)}</p>\n'
        f"{chart_html(report)}\n{''.join(sections)}\n{footer}\n{marking}</main>\n</body>\n</html>\n"
    )
