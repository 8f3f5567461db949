from __future__ import annotations

import pytest

from handlers.thresholds import effective_k, response_rate, theme_visible


def test_effective_k_defaults_to_programme_k():
    assert effective_k(5) == 5


def test_effective_k_never_goes_below_the_floor_of_three():
    assert effective_k(1) == 3
    assert effective_k(2, requested=1) == 3


@pytest.mark.parametrize("requested", [-1, 0, 2, 3, 4])
def test_effective_k_request_cannot_lower_programme_k(requested):
    assert effective_k(5, requested=requested) == 5


def test_effective_k_request_can_raise():
    assert effective_k(5, requested=8) == 8


def test_effective_k_sensitive_item_uses_the_larger_sensitive_k():
    assert effective_k(5, sensitive=True) == 10
    assert effective_k(12, sensitive=True, sensitive_k=10) == 12
    assert effective_k(5, requested=7, sensitive=True, sensitive_k=6) == 7


def test_effective_k_ignores_sensitive_k_when_item_is_not_sensitive():
    assert effective_k(5, sensitive_k=10) == 5


@pytest.mark.parametrize(
    ("contributors", "group", "minimum", "k", "expected"),
    [
        (3, 5, 3, 5, True),
        (2, 5, 3, 5, False),  # too few people behind the theme
        (3, 4, 3, 5, False),  # group smaller than k
        (3, 9, 2, 5, True),  # a minimum below 3 is raised to 3
        (2, 9, 2, 5, False),
        (4, 9, 5, 5, False),  # a programme may ask for more contributors
        (3, 3, 3, 1, True),  # k below the floor is raised to 3
        (3, 2, 3, 1, False),
    ],
)
def test_theme_visible(contributors, group, minimum, k, expected):
    assert theme_visible(contributors, group, minimum, k) is expected


def test_response_rate_shown_for_a_large_enough_group():
    assert response_rate(6, 12, 5) == pytest.approx(0.5)
    assert response_rate(6, 8, 5) is None  # the 2 who did not answer are fewer than k


@pytest.mark.parametrize(
    ("respondents", "group"),
    [(4, 4), (3, 12), (0, 12), (9, 8)],
)
def test_response_rate_hidden_for_small_groups_small_counts_and_bad_data(respondents, group):
    assert response_rate(respondents, group, 5) is None
