"""Reflections and check-ins end to end (CONTRACT §5 /reflect, /checkin; issue 3), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.notify import RecordingNotifier
from bot.runtime import Runtime
from handlers.reply import Reply, plain_text
from storage.anonymous_models import IndicatorResponseRow, ParticipationCountRow, ReflectionRow, SafeguardingFlagRow
from tests.factories import PRACTITIONER

ORDINARY = "Supervision this month gave me real space to think about how we share missing episodes with schools."


async def acknowledged(runtime: Runtime, email: str = PRACTITIONER) -> None:
    first = await runtime.say(email, "/reflect")
    assert first.form is not None
    assert first.form.form_id == "privacy.ack"
    assert not first.ok
    opened = await runtime.submit_form(email, first.form, {"read": "yes"})
    assert opened.form is not None
    assert opened.form.form_id == "reflect"


async def reflect(runtime: Runtime, text: str, tags: str = "", email: str = PRACTITIONER, at_risk: str = "no") -> Reply:
    opened = await runtime.say(email, "/reflect")
    assert opened.form is not None
    return await runtime.submit_form(email, opened.form, {"text": text, "tags": tags, "at_risk_now": at_risk})


async def count(runtime: Runtime, table: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_statement_comes_before_the_first_reflection(runtime: Runtime):
    first = await runtime.say(PRACTITIONER, "/reflect Something I noticed")
    assert first.form is not None
    assert first.form.form_id == "privacy.ack"
    assert "non-attributable" in first.text
    assert await count(runtime, ReflectionRow) == 0
    refused = await runtime.submit_form(PRACTITIONER, first.form, {"read": ""})
    assert not refused.ok
    opened = await runtime.submit_form(PRACTITIONER, first.form, {"read": "yes"})
    assert opened.form is not None
    assert opened.form.fields[0].initial == "Something I noticed"


async def test_an_ordinary_reflection_is_stored_without_its_author(runtime: Runtime):
    await acknowledged(runtime)
    receipt = await reflect(runtime, ORDINARY, "supervision_reflection,information_sharing")
    assert receipt.ok
    assert "Anonymity receipt" in receipt.text
    assert "Not stored: your name" in receipt.text
    async with runtime.sessions() as session:
        row = (await session.execute(select(ReflectionRow))).scalar_one()
    assert row.text == ORDINARY
    assert row.tags == ["supervision_reflection", "information_sharing"]
    assert row.cycle == "CI-0"
    # 7 people in KBC ≥ k = 5, but the police's 2 alone would be a "combined" group of 2, so KBC joins them
    assert row.cohort == "combined"
    assert row.stored_on.weekday() == 0
    assert len(row.id) == 32
    assert await count(runtime, ParticipationCountRow) == 1


async def test_identifiers_are_highlighted_and_nothing_is_stored_until_accepted(runtime: Runtime):
    await acknowledged(runtime)
    text = "I kept thinking about Jayden Smith at 14 Mill Lane, KM4 7QT, and whether we asked enough."
    screened = await reflect(runtime, text)
    assert screened.form is not None
    assert await count(runtime, ReflectionRow) == 0
    redacted = screened.form.fields[0].initial
    assert "KM4 7QT" not in redacted
    assert "Mill Lane" not in redacted
    assert "Jayden" not in redacted
    assert "«" in plain_text(screened.form.intro[0].text)
    stored = await runtime.submit_form(PRACTITIONER, screened.form, {"text": redacted, "at_risk_now": "no"})
    assert stored.ok
    assert stored.form is None
    async with runtime.sessions() as session:
        assert (await session.execute(select(ReflectionRow.text))).scalar_one() == redacted


async def test_live_risk_is_never_filed_and_help_reaches_the_contact(db_url: str, clock):
    from tests.conftest import _loaded_runtime

    notifier = RecordingNotifier()
    runtime = await _loaded_runtime(db_url, clock, notifier)
    try:
        await acknowledged(runtime)
        reply = await reflect(
            runtime, "The boy told me today that his stepdad is still hitting him and he is scared to go home tonight."
        )
        assert not reply.ok
        assert "not a referral route" in reply.text
        assert "999" in reply.text
        assert reply.form is not None
        assert await count(runtime, ReflectionRow) == 0
        answered = await runtime.submit_form(PRACTITIONER, reply.form, {"choice": "need_help"})
        assert answered.ok
        assert "safeguarding contact" in answered.text
        assert [n.author_email for n in notifier.sent] == [PRACTITIONER]
        assert notifier.sent[0].contact_email == "contact@council.example"
        async with runtime.sessions() as session:
            flag = (await session.execute(select(SafeguardingFlagRow))).scalar_one()
        assert (flag.choice, flag.status) == ("need_help", "contact_notified")
    finally:
        await runtime.close()


async def test_unanswered_live_risk_goes_to_the_contact_after_the_window(db_url: str, clock):
    from handlers.safeguarding import escalate_unanswered
    from tests.conftest import _loaded_runtime

    notifier = RecordingNotifier()
    runtime = await _loaded_runtime(db_url, clock, notifier)
    await acknowledged(runtime)
    await reflect(
        runtime, "She disclosed this morning that her mum's partner hurts her and she is frightened to go home."
    )
    async with runtime.unit() as deps:
        programme = (await deps.programmes.all())[0]
        assert await escalate_unanswered(programme, deps) == 0
    clock.advance(dt.timedelta(hours=5))
    async with runtime.unit() as deps:
        assert await escalate_unanswered(programme, deps) == 1
    assert len(notifier.sent) == 1
    await runtime.close()


async def test_distress_gets_support_and_stays_out_of_themes_unless_chosen(runtime: Runtime):
    await acknowledged(runtime)
    reply = await reflect(runtime, "Since the review I can't sleep and I feel I failed that family. I'm not coping.")
    assert reply.form is not None
    assert "Employee assistance" in reply.text
    assert await count(runtime, ReflectionRow) == 0
    stored = await runtime.submit_form(PRACTITIONER, reply.form, {"themes": "no"})
    assert "kept out of the themes" in stored.text
    async with runtime.sessions() as session:
        assert (await session.execute(select(ReflectionRow.in_themes))).scalar_one() is False


async def test_checkin_answers_replace_earlier_ones_and_count_once(runtime: Runtime):
    await runtime.say(PRACTITIONER, "/aftercare privacy accept")
    opened = await runtime.say(PRACTITIONER, "/checkin")
    assert opened.form is not None
    assert [f.key for f in opened.form.fields] == ["IND-01", "IND-02"]
    assert opened.form.fields[0].options[-1].label == "Prefer not to say"
    first = await runtime.submit_form(PRACTITIONER, opened.form, {"IND-01": "4", "IND-02": "skip"})
    assert first.ok
    again = await runtime.submit_form(PRACTITIONER, opened.form, {"IND-01": "5", "IND-02": "3"})
    assert "replace the earlier ones" in again.text and "replace the earlier ones" in first.text  # the same words
    async with runtime.sessions() as session:
        scores = sorted((await session.execute(select(IndicatorResponseRow.item, IndicatorResponseRow.score))).all())
        counted = (await session.execute(select(ParticipationCountRow.count))).scalar_one()
    assert [tuple(s) for s in scores] == [("IND-01", 5), ("IND-02", 3)]
    assert counted == 1
    bad = await runtime.submit_form(PRACTITIONER, opened.form, {"IND-01": "9", "IND-02": "3"})
    assert not bad.ok


async def test_the_same_person_in_a_new_cycle_is_a_new_contributor(runtime: Runtime, clock):
    """Hashes are keyed per cycle, so nobody can follow one person across cycles."""
    await acknowledged(runtime)
    await reflect(runtime, ORDINARY)
    await reflect(runtime, ORDINARY + " Again.")
    async with runtime.sessions() as session:
        tokens = set((await session.execute(select(ReflectionRow.contributor))).scalars())
    assert len(tokens) == 1


async def test_the_author_can_say_a_child_is_at_risk_now_whatever_the_screen_finds(runtime: Runtime):
    await acknowledged(runtime)
    opened = await runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    assert "at_risk_now" in [f.key for f in opened.form.fields]
    reply = await runtime.submit_form(
        PRACTITIONER, opened.form, {"text": "Something about a visit.", "at_risk_now": "yes"}
    )
    assert not reply.ok
    assert "not a referral route" in reply.text
    assert await count(runtime, ReflectionRow) == 0


async def test_the_concern_button_shows_the_routes(runtime: Runtime):
    from handlers.dispatch import press_button

    async with runtime.unit() as deps:
        actor = await runtime.participant_by_email(deps, PRACTITIONER)
        reply = await press_button("safeguarding.routes", "PR-02", actor, deps)
    assert "999" in reply.text
    assert "Front Door" in reply.text
