"""read_programme: every problem in a programme file, each with its line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.importing import ImportProblems
from bot.importing.yaml_reader import load_yaml, read_programme
from handlers.library import Library, Tag

FIXTURES = Path(__file__).parent / "fixtures"

MINIMAL = """\
programme:
  id: TEST-2
  partnership: {name: "Test Partnership"}
  review: {title: "Test review"}
  agencies:
    - {id: KBC, name: "Borough Council"}
  governance:
    confidentiality_statement: "Reflections are non-attributable."
  participants:
    - email: ann.lee@council.example
      name: "Ann Lee"
      agency: KBC
      working_pattern: {days: [0, 1, 2], start: 08:30, end: 17:30}
  recommendations:
    - {id: R1, theme: information_sharing, text: "Share.", outcome_sought: "Joined up."}
  actions:
    - {id: A01, rec: R1, title: "Agree a protocol", owner: ann.lee@council.example, agency: KBC, due: 2026-07-31}
"""


def _problems(path: Path, library: Library | None = None) -> list[tuple[str, str, str]]:
    with pytest.raises(ImportProblems) as caught:
        read_programme(path, library)
    return [(p.where, p.field, p.message) for p in caught.value.problems]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_file_reports_every_problem_at_its_line():
    found = _problems(FIXTURES / "broken-programme.yaml")
    assert [(where, field) for where, field, _ in found] == [
        ("line 10", "agencies[1].name"),
        ("line 10", "agencies[1].nmae"),
        ("line 16", "governance.drift_dayz"),
        ("line 24", "participants[1].email"),
        ("line 30", "participants[2].roles[0]"),
        ("line 34", "participants[3].timezone"),
        ("line 35", "participants[3].region"),
        ("line 36", "participants[3].working_pattern.end"),
        ("line 38", "recommendations[0].impact"),
        ("line 45", "actions[0].agency"),
        ("line 46", "actions[0].due"),
        ("line 50", "actions[1].title"),
        ("line 51", "actions[1].owner"),
        ("line 53", "actions[1].depends_on[1]"),
        ("line 54", "actions[1].status"),
        ("line 58", "actions[2].owner"),
    ]


def test_broken_file_messages_are_short_and_specific():
    messages = {field: message for _, field, message in _problems(FIXTURES / "broken-programme.yaml")}
    assert messages["agencies[1].nmae"] == "there is no field 'nmae' here. Did you mean name?"
    assert messages["governance.drift_dayz"].endswith("Did you mean drift_days?")
    assert messages["actions[0].agency"] == "there is no agency 'KXX'"
    assert messages["actions[1].owner"] == "no participant has the email 'nobody@council.example'"
    assert messages["actions[1].depends_on[1]"] == "there is no action 'A99'"
    assert messages["participants[1].email"] == "'bo.khan(at)council.example' is not an email address"
    assert "'supervisor' is not one of" in messages["participants[2].roles[0]"]
    assert "YYYY-MM-DD" in messages["actions[0].due"]
    assert messages["recommendations[0].impact"] == "'7' is too big; the most is 5"
    assert messages["actions[1].title"] == "'title' is given more than once here"
    assert "'finished' is not a status" in messages["actions[1].status"]
    for message in messages.values():
        assert "\n" not in message
        assert "pydantic" not in message.lower()


def test_references_to_broken_items_are_not_reported_twice():
    fields = [field for _, field, _ in _problems(FIXTURES / "broken-programme.yaml")]
    assert not any(field.startswith("teams") for field in fields)  # T-PPU's agency KPOL had its own mistake
    assert "actions[2].partners[0]" not in fields
    assert "actions[1].depends_on[0]" not in fields  # A01 exists, though its due date is wrong


def test_valid_file_loads_and_reads_base_60_looking_times_as_times(tmp_path):
    doc = read_programme(_write(tmp_path, MINIMAL)).programme
    pattern = doc.participants[0].working_pattern
    assert pattern.start == dt.time(8, 30)
    assert pattern.end == dt.time(17, 30)
    assert doc.actions[0].due == dt.date(2026, 7, 31)


def test_reference_problem_in_an_otherwise_valid_file(tmp_path):
    text = MINIMAL.replace("agency: KBC, due:", "agency: KBX, due:")
    assert _problems(_write(tmp_path, text)) == [("line 17", "actions[0].agency", "there is no agency 'KBX'")]


def test_duplicate_participant_email_is_reported_at_the_second(tmp_path):
    text = MINIMAL.replace(
        "  recommendations:",
        "    - {email: Ann.Lee@council.example, name: Ann Again, agency: KBC}\n  recommendations:",
    )
    assert _problems(_write(tmp_path, text)) == [
        ("line 14", "participants[1].email", "'ann.lee@council.example' appears more than once")
    ]


def test_syntax_error_gives_its_line(tmp_path):
    text = MINIMAL.replace('  review: {title: "Test review"}', '  review: {title: "Test review"')
    found = _problems(_write(tmp_path, text))
    assert len(found) == 1
    where, field, message = found[0]
    assert field == "file"
    assert message.startswith("the YAML could not be read")
    assert where == "line 5"  # where the parser found the mapping still open


def test_bad_indentation_gives_its_line(tmp_path):
    text = MINIMAL.replace('      name: "Ann Lee"', '     name: "Ann Lee"')
    found = _problems(_write(tmp_path, text))
    assert found[0][0] == "line 11"


def test_unknown_top_level_key_and_missing_programme(tmp_path):
    found = _problems(_write(tmp_path, "programm:\n  id: X\n"))
    assert ("line 1", "programme", "this is needed but missing") in found
    assert any(field == "programm" and "Did you mean programme?" in message for _, field, message in found)


def test_empty_and_missing_files(tmp_path):
    assert _problems(_write(tmp_path, "# nothing yet\n")) == [("line 1", "file", "the file is empty")]
    assert _problems(tmp_path / "absent.yaml") == [("absent.yaml", "file", "the file could not be read")]


def test_library_checks_themes_and_indicators(tmp_path):
    text = MINIMAL + "  checkins:\n    - {id: CI-0, date: 2026-02-24, type: baseline, pulse_items: [IND-01, IND-99]}\n"
    library = Library(tags=[Tag(id="voice_of_child", label="Voice", description="The child's voice.")])
    found = _problems(_write(tmp_path, text), library)
    assert ("line 15", "recommendations[0].theme", "there is no tag 'information_sharing'") in found
    assert ("line 19", "checkins[0].pulse_items[0]", "there is no indicator 'IND-01'") in found
    assert ("line 19", "checkins[0].pulse_items[1]", "there is no indicator 'IND-99'") in found


def test_load_yaml_records_lines_of_keys_and_items(tmp_path):
    located = load_yaml(_write(tmp_path, MINIMAL))
    assert located.lines[("programme", "participants", 0)] == 10
    assert located.lines[("programme", "participants", 0, "agency")] == 12
    assert located.line_of(("programme", "participants", 0, "working_pattern", "start")) == 13
    assert located.line_of(("programme", "participants", 0, "not_there")) == 10


def test_problems_print_plainly():
    with pytest.raises(ImportProblems) as caught:
        read_programme(FIXTURES / "broken-programme.yaml")
    text = str(caught.value)
    assert text.splitlines()[0] == "line 10, agencies[1].name: this is needed but missing"
    assert len(text.splitlines()) == 16
