"""handlers/library.py and the shared error wording in bot/importing: pure checks, no files."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.importing import ImportProblems, describe_error, field_path
from handlers.library import (
    Audience,
    Indicator,
    IndicatorScale,
    IndicatorSet,
    Library,
    Prompt,
    Stage,
    Tag,
    audiences_for,
)
from handlers.model import Role
from handlers.programme_doc import ActionDoc, CheckinDoc, Problem, ProgrammeDoc

LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


def _prompt(prompt_id: str, theme: str = "voice_of_child", audience: Audience = Audience.PRACTITIONER) -> Prompt:
    return Prompt(id=prompt_id, theme=theme, audience=audience, stage=Stage.EMBEDDING, text="What helps?")


def _library(*prompts: Prompt) -> Library:
    return Library(
        prompts=list(prompts),
        tags=[Tag(id="voice_of_child", label="Voice", description="The child's voice.")],
        indicators=IndicatorSet(
            scale=IndicatorScale(labels=LABELS),
            items=[Indicator(id="IND-01", measures="confidence", text="I feel confident.")],
        ),
    )


def test_audiences_follow_roles():
    assert audiences_for([Role.PRACTITIONER]) == {Audience.PRACTITIONER}
    assert audiences_for([Role.MANAGER, Role.LEAD]) == {Audience.MANAGER, Audience.LEAD}
    assert audiences_for([Role.FACILITATOR]) == {Audience.FORUM}
    assert _prompt("PR-01", audience=Audience.MANAGER).suits([Role.MANAGER])
    assert not _prompt("PR-01", audience=Audience.MANAGER).suits([Role.PRACTITIONER])


def test_scale_needs_one_label_per_point():
    with pytest.raises(ValidationError, match="one label for each point from 1 to 5"):
        IndicatorScale(labels=LABELS[:4])
    assert IndicatorScale(min=0, max=1, labels=["No", "Yes"]).points() == [(0, "No"), (1, "Yes")]


def test_prompt_ids_have_a_fixed_form():
    with pytest.raises(ValidationError):
        _prompt("P-1")


def test_check_finds_duplicates_and_unknown_themes():
    library = _library(_prompt("PR-01"), _prompt("PR-02", theme="curiosity"), _prompt("PR-01"))
    assert library.check() == [
        (("prompts", 2, "id"), "'PR-01' appears more than once"),
        (("prompts", 1, "theme"), "there is no tag 'curiosity'"),
    ]
    assert Library().check() == [(("indicators",), "there are no indicators")]


def test_lookups_ignore_case_of_ids():
    library = _library(_prompt("PR-01"))
    assert library.prompt("pr-01") is not None
    assert library.indicator("ind-01") is not None
    assert library.tag("voice_of_child") is not None
    assert library.prompts_for(Stage.EMBEDDING, Audience.MANAGER) == []


def test_programme_problems_name_unknown_themes_indicators_and_stages():
    doc = ProgrammeDoc.model_validate(
        {
            "id": "T",
            "partnership": {"name": "P"},
            "review": {"title": "R"},
            "agencies": [{"id": "KBC", "name": "Council"}],
            "governance": {"confidentiality_statement": "C"},
            "recommendations": [{"id": "R1", "theme": "neglect", "text": "T", "outcome_sought": "O"}],
            "checkins": [
                CheckinDoc.model_validate(
                    {"id": "CI-0", "date": "2026-01-01", "type": "baseline", "pulse_items": ["IND-01", "IND-09"],
                     "prompts_stage": "checkin_9m"}
                ).model_dump()
            ],
        }
    )  # fmt: skip
    assert _library().programme_problems(doc) == [
        (("recommendations", 0, "theme"), "there is no tag 'neglect'"),
        (("checkins", 0, "pulse_items", 1), "there is no indicator 'IND-09'"),
        (("checkins", 0, "prompts_stage"), "there is no prompt stage 'checkin_9m'"),
    ]


def test_field_path_reads_like_the_file():
    assert field_path(("actions", 3, "owner")) == "actions[3].owner"
    assert field_path(("checkins", 0, "pulse_items", 2)) == "checkins[0].pulse_items[2]"
    assert field_path(()) == "file"


def test_describe_error_suggests_the_field_meant():
    with pytest.raises(ValidationError) as caught:
        ActionDoc.model_validate({"id": "A1", "rec": "R1", "title": "T", "owner": "a@b.c", "agency": "K", "dew": 1})
    (error,) = caught.value.errors()
    assert describe_error(error, ActionDoc) == "there is no field 'dew' here. Did you mean due?"
    assert describe_error(error) == "there is no field 'dew' here"


def test_import_problems_counts_and_lists():
    problems = [Problem(where="row 2", field="due", message="'x' is not a date")]
    error = ImportProblems(problems)
    assert error.args == ("1 problem found",)
    assert str(error) == "row 2, due: 'x' is not a date"
