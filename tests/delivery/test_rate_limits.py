"""The rate limiter on a manual clock: spacing per key, gaps filled across keys, Retry-After, hand-backs in turn."""

from __future__ import annotations

import pytest

from bot.rate_limits import Pace, RateLimiter, slack_paces, teams_paces


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_sends_on_one_key_are_spaced_by_the_margin(clock: Clock):
    limiter = RateLimiter(clock=clock)
    pace = [Pace("k", 1.0)]
    slots = [limiter.reserve(pace, 10) for _ in range(3)]
    assert slots == [100.0, pytest.approx(101.03), pytest.approx(102.06)]


def test_thirty_per_second_never_puts_thirty_one_in_a_second(clock: Clock):
    limiter = RateLimiter(clock=clock)
    slots = [limiter.reserve([Pace("tenant", 30)], 10) for _ in range(31)]
    assert isinstance(slots[30], float) and slots[30] - slots[0] > 1.0  # type: ignore[operator]


def test_a_gap_left_by_one_channel_is_used_by_another(clock: Clock):
    limiter = RateLimiter(clock=clock)
    workspace = Pace("ws", 4.0)
    first = limiter.reserve([workspace, Pace("c1", 1.0)], 10)
    second = limiter.reserve([workspace, Pace("c1", 1.0)], 10)  # c1 is busy for a second...
    third = limiter.reserve([workspace, Pace("c2", 1.0)], 10)  # ...so c2 goes in between
    assert first == 100.0 and second == pytest.approx(101.03)
    assert third == pytest.approx(100.2575)


def test_too_far_is_handed_back_and_hand_backs_return_in_turn(clock: Clock):
    limiter = RateLimiter(clock=clock)
    pace = [Pace("k", 1.0)]
    assert limiter.reserve(pace, 2.5) == 100.0
    assert limiter.reserve(pace, 2.5) == pytest.approx(101.03)
    assert limiter.reserve(pace, 2.5) == pytest.approx(102.06)
    later = [limiter.reserve(pace, 2.5) for _ in range(3)]  # negative: how long until it should come back
    assert [-w for w in later] == pytest.approx([3.09, 4.12, 5.15], abs=0.01)  # type: ignore[operator]


def test_hand_backs_on_one_channel_do_not_delay_another_channel(clock: Clock):
    limiter = RateLimiter(clock=clock)
    workspace = Pace("ws", 20.0)
    busy = [limiter.reserve([workspace, Pace("c1", 1.0)], 2.5) for _ in range(20)]
    assert sum(1 for w in busy if w is not None and w < 0) == 17
    assert limiter.reserve([workspace, Pace("c2", 1.0)], 2.5) == pytest.approx(100.0515)


def test_a_slot_given_back_is_free_for_the_next_send(clock: Clock):
    limiter = RateLimiter(clock=clock)
    pace = [Pace("tenant", 30.0)]
    first = limiter.reserve(pace, 10)
    assert isinstance(first, float)
    # The shared limiter's database gave this send a later turn: the calendar holds that turn, not both.
    limiter.release(pace, first)
    limiter.take(pace, first + 0.5)
    assert limiter.reserve(pace, 10) == pytest.approx(first)  # before, the slot stayed taken by nobody
    assert limiter.reserve(pace, 10) == pytest.approx(first + 0.0343, abs=1e-4)


def test_a_full_calendar_books_after_its_last_slot(clock: Clock):
    limiter = RateLimiter(clock=clock)
    pace = [Pace("tenant", 30.0)]
    slots = [limiter.reserve(pace, 100) for _ in range(1000)]  # a replica claiming a thousand messages at once
    assert slots[-1] == pytest.approx(100 + 999 * 1.03 / 30)


def test_retry_after_blocks_every_key_of_the_send(clock: Clock):
    limiter = RateLimiter(clock=clock)
    paces = slack_paces("T1:U1")
    limiter.block(paces, 5)
    assert limiter.reserve([Pace("slack:T1", 100)], 10) == 105.0
    assert limiter.reserve([Pace("slack:T2", 100)], 10) == 100.0


async def test_settle_keeps_a_late_send_a_full_spacing_from_the_next(clock: Clock, monkeypatch):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    monkeypatch.setattr("bot.rate_limits.asyncio.sleep", sleep)
    limiter = RateLimiter(clock=clock)
    pace = [Pace("k", 1.0)]
    clock.now = 100.5  # the first send started half a second late
    await limiter.settle(pace)
    clock.now = 101.03  # the second wakes on its booked slot
    await limiter.settle(pace)
    assert clock.now == pytest.approx(101.5)  # a full second after the late one (the platform's spacing)
    assert slept == [pytest.approx(0.47)]


def test_platform_profiles():
    assert [p.key for p in slack_paces("T1:#general")] == ["slack:T1", "slack:T1:#general"]
    keys = [p.key for p in teams_paces("tenant:conv")]
    assert keys[0] == "teams:tenant" and len(keys) == 5
