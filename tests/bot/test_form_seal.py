"""Form state sealed by the server: only intact, for the same person and form, before it expires."""

from __future__ import annotations

import datetime as dt

from bot.clock import SimulatedClock
from bot.form_seal import LIFETIME, FormSeal
from handlers.reply import Form, Reply

START = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
STATE = '{"prompt": "PR-1", "text": "kept while the author chooses"}'


def seal_at(clock: SimulatedClock) -> FormSeal:
    return FormSeal(b"server secret", clock)


def test_an_intact_state_opens_for_its_person_and_form():
    seal = seal_at(SimulatedClock(START))
    sealed = seal.seal(7, "reflect.distress", STATE)
    assert sealed != STATE and STATE in sealed  # readable, but not trusted without the seal
    assert seal.open(7, "reflect.distress", sealed) == STATE


def test_a_changed_state_another_person_form_or_key_opens_nothing():
    seal = seal_at(SimulatedClock(START))
    sealed = seal.seal(7, "reflect.distress", STATE)
    assert seal.open(7, "reflect.distress", sealed.replace("kept", "KEPT")) is None
    assert seal.open(8, "reflect.distress", sealed) is None
    assert seal.open(7, "reflect", sealed) is None
    assert FormSeal(b"another secret", SimulatedClock(START)).open(7, "reflect.distress", sealed) is None
    for forged in ("", STATE, "s1.x.y.z", "s1.99999999999999999999.00.{}", "s1..."):
        assert seal.open(7, "reflect.distress", forged) is None


def test_a_state_expires():
    clock = SimulatedClock(START)
    seal = seal_at(clock)
    sealed = seal.seal(7, "checkin", "{}")
    clock.advance(LIFETIME - dt.timedelta(minutes=1))
    assert seal.open(7, "checkin", sealed) == "{}"
    clock.advance(dt.timedelta(minutes=2))
    assert seal.open(7, "checkin", sealed) is None


def test_a_reply_with_a_form_is_sealed_and_one_without_is_left_alone():
    seal = seal_at(SimulatedClock(START))
    plain = Reply(text="hello")
    assert seal.sealed(plain, 7) is plain
    reply = Reply(text="form", form=Form(form_id="checkin", title="Check in", state='{"cycle": "CI-1"}'))
    sealed = seal.sealed(reply, 7)
    assert sealed.form is not None and seal.open(7, "checkin", sealed.form.state) == '{"cycle": "CI-1"}'
