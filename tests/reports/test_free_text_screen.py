"""Attack (issue 13): a child's name, address, postcode and date of birth typed into an action's evidence must not be
kept, shown in /actions, or printed in reports and exports. Run on a copy of the demo database, through `aftercare`."""

from __future__ import annotations

import contextlib
import sqlite3

from bot.cli import main

OWNER = "principal.sw@kestermoor.gov.example"  # owns A16 in examples/programme.yaml
IDENTIFYING = ("Jayden", "Jayden Carter", "Mill Lane", "KM4 7QT", "04/05/2012")
EVIDENCE = "/actions A16 evidence Standard used in Jayden Carter's case (14 Mill Lane, KM4 7QT, DOB 04/05/2012)"


def rows(url: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {f"{t}: {row}" for t in tables for row in db.execute(f'SELECT * FROM "{t}"')}


def test_identifiers_in_evidence_are_never_kept_shown_or_exported(demo_copy, capsys):
    """Nothing identifying is stored, so /actions, reports and any export (which read only what is stored) are
    clean; the rows the command added are checked, and the chat reply and the CSV reports are read."""
    before = rows(demo_copy)
    assert main(["--db", demo_copy, "say", "--as", OWNER, EVIDENCE]) == 0
    saved = capsys.readouterr().out
    assert "I've removed details that could identify someone" in saved
    assert "Standard used in [name]'s case ([address], [postcode], DOB [date of birth])" in saved
    new = "\n".join(rows(demo_copy) - before)
    assert "Standard used in [name]" in new
    assert not [word for word in (*IDENTIFYING, "Carter") if word in new]
    assert main(["--db", demo_copy, "say", "--as", OWNER, "/actions A16"]) == 0
    for kind in ("assurance", "priorities"):
        assert main(["--db", demo_copy, "report", kind, "--format", "csv"]) == 0
    shown = capsys.readouterr().out
    assert "Standard used in [name]" in shown
    assert not [word for word in IDENTIFYING if word in shown]


def test_notes_have_a_length_limit_with_a_kind_message(demo_copy, capsys):
    before = rows(demo_copy)
    assert main(["--db", demo_copy, "say", "--as", OWNER, "/actions A16 note " + "word " * 1400]) == 1
    out = capsys.readouterr().out
    assert "Please keep a progress note to 1,000 characters" in out
    assert "nothing was saved" in out
    assert rows(demo_copy) == before


def test_the_reply_names_what_was_removed_in_plain_words_never_as_json_kinds(demo_copy, capsys):
    note = "/actions A16 note Mum is with Westway Surgery, NHS 943 476 5919, ask S.J. Whitlock"
    assert main(["--db", demo_copy, "say", "--as", OWNER, note]) == 0
    saved = capsys.readouterr().out
    assert "(GP practice, name, NHS number)" in saved
    assert "Mum is with [GP practice], NHS [NHS number], ask [name]" in saved
    assert "gp practice" not in saved and "nhs number" not in saved
