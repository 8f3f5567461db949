from __future__ import annotations

import datetime as dt

import pytest

from handlers.errors import UserFacingError
from handlers.grammar import (
    AddText,
    Away,
    Broadcast,
    BroadcastAdmin,
    BroadcastChange,
    Checkin,
    Help,
    ListActions,
    Peers,
    PostReport,
    Reflect,
    SetDue,
    SetOwner,
    SetStatus,
    ShowAction,
    parse,
)
from handlers.model import Status


@pytest.mark.parametrize(
    ("text", "status", "note"),
    [
        ("A07 on track Weekly huddles started", Status.ON_TRACK, "Weekly huddles started"),
        ("a07 done", Status.COMPLETE, ""),
        ("A07 on-track", Status.ON_TRACK, ""),
        ("A07 at_risk IT delay", Status.AT_RISK, "IT delay"),
        ("A07 amber", Status.AT_RISK, ""),
        ("A07 red Needs Executive decision", Status.OFF_TRACK, "Needs Executive decision"),
        ("A07 green", Status.ON_TRACK, ""),
        ("A07 not started", Status.NOT_STARTED, ""),
        ("A07 closed", Status.CLOSED, ""),
        ("A07 superseded By A13", Status.SUPERSEDED, "By A13"),
        ("A07 blocked Waiting on A01", Status.BLOCKED, "Waiting on A01"),
    ],
)
def test_status_words(text, status, note):
    assert parse("/actions", text) == SetStatus(code="A07", status=status, note=note)


def test_lists_and_show():
    assert parse("actions", "") == ListActions(scope="mine")
    assert parse("/actions", "overdue") == ListActions(scope="overdue")
    assert parse("/actions", "all page 2") == ListActions(scope="all", page=2)
    assert parse("/actions", "A7") == ShowAction(code="A7")


def test_text_changes_keep_the_authors_words():
    assert parse("/actions", "A07 evidence  Tool in Practice Guidance v2") == AddText(
        code="A07", field="evidence", text="Tool in Practice Guidance v2"
    )
    assert parse("/actions", "A07 due 2026-09-30") == SetDue(code="A07", due=dt.date(2026, 9, 30))
    assert parse("/actions", "A07 owner Someone@Agency.example") == SetOwner(code="A07", email="someone@agency.example")


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/actions", "A07 finished", "is not a status or change I know"),
        ("/actions", "A07 due next week", "YYYY-MM-DD"),
        ("/actions", "A07 due 2026-02-30", "YYYY-MM-DD"),
        ("/actions", "A07 owner bob", "email"),
        ("/actions", "A07 note", "Please add the note text"),
        ("/actions", "everything", "There is no list or action called 'everything'"),
        ("/actions", "all page x", "page number"),
        ("/aftercare", "away tomorrow", "YYYY-MM-DD"),
        ("/aftercare", "peers maybe", "peers on"),
        ("/aftercare", "report everything", "Reports are"),
        ("/aftercare", "hlep", "Did you mean help?"),
        ("/acitons", "", "Did you mean actions?"),
        ("/broadcast", "", "/broadcast AUDIENCE"),
        ("/broadcast", 'people "hi"', "is not an audience"),
        ("/broadcast", 'all "unclosed', "closing quotation mark"),
        ("/broadcast", 'all "hi" extra', "one prompt id"),
        ("/broadcast", "edit B2", "new text"),
        ("/broadcast", "move B2 tomorrow 10:00", "move B2 at tomorrow 10:00"),
        ("/broadcast", "confirm", "name the broadcast"),
        ("/checkin", "now", "takes no words"),
    ],
)
def test_bad_input_gets_one_helpful_sentence(command, text, expected):
    with pytest.raises(UserFacingError) as caught:
        parse(command, text)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message


def test_aftercare_words():
    assert parse("/aftercare", "") == Help()
    assert parse("/aftercare", "away until 2026-12-31") == Away(until=dt.date(2026, 12, 31))
    assert parse("/aftercare", "peers on") == Peers(opt_in=True)
    assert parse("/aftercare", "report brief") == PostReport(report="brief")


def test_reflect_checkin_broadcast():
    assert parse("/reflect", " Supervision helped ") == Reflect(text="Supervision helped")
    assert parse("/checkin", "") == Checkin()
    assert parse("/broadcast", "agency:KBC,role:manager PR-12") == Broadcast(
        audience=("agency:KBC", "role:manager"), prompt_id="PR-12"
    )
    assert parse("/broadcast", 'team:T-ADO "Please read the 7-minute brief" at 2026-12-01 10:00') == Broadcast(
        audience=("team:T-ADO",), text="Please read the 7-minute brief", at=("2026-12-01", "10:00")
    )
    assert parse("/broadcast", 'forum:F-MA "Agenda attached" at tomorrow 09:30') == Broadcast(
        audience=("forum:F-MA",), text="Agenda attached", at=("tomorrow", "09:30")
    )
    assert parse("/broadcast", "#kscp-learning PR-3") == Broadcast(audience=("#kscp-learning",), prompt_id="PR-3")
    assert parse("/broadcast", "status b12") == BroadcastAdmin(verb="status", broadcast_id="B12")
    assert parse("/broadcast", "list") == BroadcastAdmin(verb="list")
    assert parse("/broadcast", "confirm b3") == BroadcastAdmin(verb="confirm", broadcast_id="B3")
    edit = BroadcastChange(verb="edit", broadcast_id="B2", text="New words")
    assert parse("/broadcast", 'edit b2 "New words"') == edit
    assert parse("/broadcast", "edit B2 pr-7") == BroadcastChange(verb="edit", broadcast_id="B2", prompt_id="PR-7")
    assert parse("/broadcast", "move B2 at monday 09:30") == BroadcastChange(
        verb="move", broadcast_id="B2", at=("monday", "09:30")
    )


@pytest.mark.parametrize("words", ["A09 due next week", "A09 due 2026-02-30", "A09 due"])
def test_a_due_date_error_gives_an_example_in_the_future(words: str):
    with pytest.raises(UserFacingError) as caught:
        parse("/actions", words)
    example = caught.value.message.rsplit(" due ", 1)[1].rstrip(".")
    assert dt.date.fromisoformat(example) > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=60)


def test_a_due_date_with_a_note_after_it_says_how_to_write_both():
    with pytest.raises(UserFacingError) as caught:
        parse("/actions", "A09 due 2026-12-18 Waiting for A07")
    assert caught.value.message == (
        "A new due date takes no note after it, so nothing has changed; write /actions A09 due 2026-12-18, then "
        "/actions A09 note with the reason."
    )
