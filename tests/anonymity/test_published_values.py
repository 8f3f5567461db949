"""Attacks on published figures: counts hidden behind shares, and differences between two runs of a report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from handlers.count_table import CountTable, ScoreCounts
from handlers.reports.disclosure import summary_cell
from handlers.suppression import suppress
from handlers.thresholds import DisclosureLedger, ReportScope, publish, response_rate
from tests.factories import make_programme_dict

K = 5
KBC = ("KBC",)


def shown(counts: tuple[int, int, int, int, int]) -> str:
    safe = suppress(CountTable.of_scores(["C1"], {KBC: [ScoreCounts(counts=counts)]}), K)
    return summary_cell(safe, KBC, "C1").text


@pytest.mark.parametrize(
    "counts",
    [
        (1, 1, 2, 1, 0),  # "20% agree (n=5)": one person agreed
        (2, 3, 4, 0, 0),  # "0% agree (n=9)": says what every respondent answered
        (0, 0, 0, 2, 7),  # "100% agree (n=9)": the same
        (0, 1, 2, 3, 3),  # 6 agree, 3 do not: the 3 are fewer than k
    ],
)
def test_no_share_stands_for_fewer_than_k_people_on_either_side(counts: tuple[int, int, int, int, int]):
    text = shown(counts)
    for match in re.finditer(r"(\d+)% agree \(n=(\d+)\)", text):
        share, n = int(match.group(1)), int(match.group(2))
        agree = round(share * n / 100)
        assert agree >= K and n - agree >= K, text


def test_a_share_is_shown_when_both_sides_reach_k():
    assert "50% agree (n=10)" in shown((1, 2, 2, 3, 2))


def test_a_response_rate_never_shows_that_fewer_than_k_stayed_away():
    assert response_rate(9, 10, K) is None  # "90% of 10" is one person who did not answer
    assert response_rate(10, 10, K) is None  # "100%" says that each person took part
    assert response_rate(10, 20, K) == 0.5


def test_a_rerun_after_one_changed_answer_is_not_published():
    """Attack: run the report, have one person change their answer, run it again; same n, different share."""
    scope = ReportScope(programme_id=1, measure="IND-01")
    before = CountTable.of_scores(["C1"], {KBC: [ScoreCounts(counts=(1, 2, 3, 4, 2))]})  # 50% agree (n=12)
    changed = CountTable.of_scores(["C1"], {KBC: [ScoreCounts(counts=(1, 2, 2, 5, 2))]})  # 58%: one person moved
    moved = CountTable.of_scores(["C1"], {KBC: [ScoreCounts(counts=(0, 3, 3, 4, 2))]})  # nothing shown changes
    first, ledger = publish(before, K, DisclosureLedger(k=K), scope)
    assert first.cell(KBC, "C1").shown
    again, _ = publish(changed, K, ledger, scope)
    assert not again.cell(KBC, "C1").shown
    for table in (before, moved):
        same, _ = publish(table, K, ledger, scope)
        assert same.cell(KBC, "C1").shown  # the very same published figure again is fine


def test_min_group_size_cannot_be_lowered_by_a_new_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    programme = make_programme_dict()
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump({"programme": programme}, default_flow_style=False))
    assert main(["--db", db, "programme", "import", str(first)]) == 0
    programme["governance"]["min_group_size"] = 3
    lower = tmp_path / "lower.yaml"
    lower.write_text(yaml.safe_dump({"programme": programme}, default_flow_style=False))
    capsys.readouterr()
    assert main(["--db", db, "programme", "import", str(lower)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "min_group_size" in err and "5" in err, err
    programme["governance"]["min_group_size"] = 7
    lower.write_text(yaml.safe_dump({"programme": programme}, default_flow_style=False))
    assert main(["--db", db, "programme", "import", str(lower)]) == 0  # raising is fine
