"""RAG (red, amber, green; grey and blue) as the programme defines it: one function for chat, Home, reports and exports.

The colour comes from the status (``handlers.model.RAG``), except that an overdue action (past its due date and not
finished) takes the colour whose definition in the programme's ``rag_definitions`` mentions "overdue" (red in the
example: "off track or overdue"), or red when no definition mentions it. An overdue action is never shown greener
than its status would make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from handlers.model import RAG, Action

ORDER = ("grey", "blue", "green", "amber", "red")  # how worrying a colour is, least first
DEFAULT_DEFINITIONS: Mapping[str, str] = {
    "grey": "not started",
    "green": "on track",
    "amber": "at risk",
    "red": "off track or overdue",
    "blue": "closed, impact evidenced",
}


def overdue_colour(definitions: Mapping[str, str] | None = None) -> str:
    """The colour the programme gives an overdue action."""
    for colour, text in (definitions or DEFAULT_DEFINITIONS).items():
        if "overdue" in text.lower() and colour.lower() in ORDER:
            return colour.lower()
    return "red"


def rag_of(action: Action, today: dt.date, definitions: Mapping[str, str] | None = None) -> str:
    """The action's RAG colour on ``today``: by status, and overdue counts as the programme says."""
    colour = RAG[action.status]
    if not action.is_overdue(today):
        return colour
    late = overdue_colour(definitions)
    return late if ORDER.index(late) > ORDER.index(colour) else colour
