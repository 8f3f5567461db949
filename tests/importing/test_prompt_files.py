"""The prompt library in prompts/: it loads and agrees with itself; a broken library names file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.prompt_files import FilePromptLibrary, LibraryError, default_folder, load_library
from handlers.library import Audience, Stage

PROMPTS = default_folder()

TAGS = """\
tags:
  - {id: voice_of_child, label: "Voice of the child", description: "What a day is like for the child."}
  - {id: good_practice, label: "What worked well", description: "Practice worth keeping."}
"""
INDICATORS = """\
indicators:
  scale: {labels: [One, Two, Three, Four, Five]}
  items:
    - {id: IND-01, measures: confidence, text: "I feel confident."}
"""
PROMPTS_OK = """\
prompts:
  - id: PR-01
    theme: voice_of_child
    audience: practitioner
    stage: embedding
    text: "Whose day do you know least about?"
"""


def _library(tmp_path: Path, **files: str) -> Path:
    texts = {"tags": TAGS, "indicators": INDICATORS, "prompts": PROMPTS_OK} | files
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _problems(folder: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(LibraryError) as caught:
        load_library(folder)
    return [(p.where, p.field, p.message) for p in caught.value.problems]


def test_real_library_loads_and_is_complete():
    library = load_library(PROMPTS)
    assert len(library.prompts) >= 40
    assert len(library.tags) == 22
    assert library.indicators is not None
    assert [item.id for item in library.indicators.items] == [f"IND-0{n}" for n in range(1, 9)]
    assert library.check() == []


def test_every_stage_and_audience_has_prompts():
    library = load_library(PROMPTS)
    for stage in Stage:
        for audience in Audience:
            assert library.prompts_for(stage, audience), (stage, audience)


def test_indicator_scale_offers_prefer_not_to_say_and_marks_sensitive_items():
    library = load_library(PROMPTS)
    assert library.indicators is not None
    scale = library.indicators.scale
    assert [number for number, _ in scale.points()] == [1, 2, 3, 4, 5]
    assert scale.allow_skip
    assert scale.skip_label == "Prefer not to say"
    sensitive = {item.measures for item in library.indicators.items if item.sensitive}
    assert sensitive == {"psychological_safety", "escalation_confidence"}


def test_prompt_wording_is_plain_british_english():
    library = load_library(PROMPTS)
    americanisms = re.compile(r"\b(organiz|recogniz|prioritiz|behavior|color|center)\w*", re.IGNORECASE)
    blame = re.compile(r"\b(your fault|you failed|should have|to blame)\b", re.IGNORECASE)
    for prompt in library.prompts:
        for text in (prompt.text, prompt.follow_up):
            assert not americanisms.search(text), prompt.id
            assert not blame.search(text), prompt.id
        assert prompt.text.endswith("?"), prompt.id


def test_file_prompt_library_finds_things_by_id():
    files = FilePromptLibrary.load()
    prompt = files.prompt("pr-07")
    assert prompt is not None
    assert prompt.audience == Audience.LEAD
    assert files.indicator("ind-02") is not None
    assert files.tag("think_family") is not None
    assert files.prompt("PR-999") is None


def test_small_valid_library(tmp_path):
    library = load_library(_library(tmp_path))
    assert [p.id for p in library.prompts] == ["PR-01"]


def test_broken_prompts_are_reported_with_file_line_and_field(tmp_path):
    broken = PROMPTS_OK + (
        "  - id: PR-02\n"
        "    theme: curiosity\n"
        "    audience: team_manager\n"
        "    stage: embedding\n"
        '    text: "What did you notice?"\n'
    )
    found = _problems(_library(tmp_path, prompts=broken))
    assert found == [
        ("prompts.yaml line 9", "prompts[1].audience",
         "'team_manager' is not one of 'practitioner', 'manager', 'lead' or 'forum'"),
    ]  # fmt: skip


def test_unknown_theme_and_duplicate_id_are_reported_with_their_lines(tmp_path):
    broken = PROMPTS_OK + (
        "  - id: PR-01\n"
        "    theme: curiosity\n"
        "    audience: manager\n"
        "    stage: embedding\n"
        '    text: "What did you notice?"\n'
    )
    assert _problems(_library(tmp_path, prompts=broken)) == [
        ("prompts.yaml line 7", "prompts[1].id", "'PR-01' appears more than once"),
        ("prompts.yaml line 8", "prompts[1].theme", "there is no tag 'curiosity'"),
    ]


def test_problems_in_several_files_are_all_reported(tmp_path):
    tags = TAGS.replace(', description: "Practice worth keeping."', "")
    extra = "indicators:\n  scale: {labels: [A, B]}\n  items: []\n"
    folder = _library(tmp_path, tags=tags, more="prompts: [\n", zz_indicators=extra)
    found = _problems(folder)
    assert ("more.yaml line 2", "file") in {(where, field) for where, field, _ in found}
    assert ("tags.yaml line 3", "tags[1].description", "this is needed but missing") in found
    assert any(where == "zz_indicators.yaml line 2" and field == "indicators.scale" for where, field, _ in found)


def test_indicators_given_twice(tmp_path):
    found = _problems(_library(tmp_path, zz_indicators=INDICATORS))
    assert found == [("zz_indicators.yaml line 1", "indicators", "the indicators are already given in indicators.yaml")]


def test_empty_folder(tmp_path):
    assert _problems(tmp_path) == [(str(tmp_path), "folder", "there are no .yaml files here")]


def test_library_error_prints_one_line_per_problem(tmp_path):
    with pytest.raises(LibraryError) as caught:
        load_library(_library(tmp_path, prompts=PROMPTS_OK.replace("voice_of_child", "voice")))
    assert str(caught.value) == "prompts.yaml line 3, prompts[0].theme: there is no tag 'voice'"
