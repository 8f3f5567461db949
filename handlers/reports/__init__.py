"""Reports a partnership board can use (issue 7): pure builders from data to a neutral report model.

Each builder takes plain facts (loaded by storage/repositories/reports.py) and returns a ``Report``
(``handlers.reports.model``); bot/reports/ renders it as Markdown, HTML, CSV, PNG or DOCX. Every figure about people
goes through ``handlers.thresholds`` here, so no renderer ever sees a figure it must not show.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("assurance", "themes", "indicators", "priorities", "delivery", "brief")
FORMATS: dict[str, tuple[str, ...]] = {
    "assurance": ("md", "html", "csv", "png", "docx"),
    "themes": ("md", "html", "csv", "png", "docx"),
    "indicators": ("md", "html", "csv", "png", "docx"),
    "priorities": ("md", "html", "csv", "png", "docx"),
    "delivery": ("md", "html", "csv", "png", "docx"),
    "brief": ("md", "html", "docx"),
}
