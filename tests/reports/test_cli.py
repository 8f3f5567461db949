"""`aftercare report KIND [--format F] [--out PATH]`: exit codes and one-sentence errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def one_sentence(text: str) -> bool:
    lines = text.strip().splitlines()
    return len(lines) == 1 and lines[0].endswith(".") and "Traceback" not in text


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["report", "bogus"], "There is no 'bogus' report; the reports are assurance, themes"),
        (["report", "assurance", "--format", "pdf"], "The assurance report comes as md, html, csv, png, docx, not"),
        (["report", "brief", "--format", "csv"], "The brief report comes as md, html, docx, not 'csv'."),
        (["report", "brief", "--format", "png"], "The brief report comes as md, html, docx, not 'png'."),
    ],
)
def test_unknown_kinds_and_formats_are_misuse(argv, expected, demo_copy, capsys):
    assert main(["--db", demo_copy, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert one_sentence(captured.err)


def test_markdown_goes_to_standard_output(demo_copy, capsys):
    assert main(["--db", demo_copy, "report", "assurance"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Action plan assurance")
    assert "## Dependency chains at risk" in out


def test_csv_goes_to_standard_output(demo_copy, capsys):
    assert main(["--db", demo_copy, "report", "priorities", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:3] == ["Recommendation", "Theme", "Impact (1-5)"]
    assert {row[0] for row in rows[1:]} == {f"R{i}" for i in range(1, 8)}


def test_binary_formats_are_written_to_the_file_or_folder_given(demo_copy, capsys, tmp_path: Path):
    png = tmp_path / "charts" / "trend.png"
    assert main(["--db", demo_copy, "report", "indicators", "--format", "png", "--out", str(png)]) == 0
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert capsys.readouterr().out.strip() == f"Wrote the indicators report to {png}."
    assert main(["--db", demo_copy, "report", "brief", "--format", "docx", "--out", str(tmp_path)]) == 0
    written = list(tmp_path.glob("brief-*.docx"))
    assert len(written) == 1 and written[0].read_bytes().startswith(b"PK")


def test_kind_and_format_are_case_insensitive(demo_copy, capsys, tmp_path: Path):
    out = tmp_path / "themes.html"
    assert main(["--db", demo_copy, "report", "Themes", "--format", "HTML", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_no_programme_loaded_is_a_plain_failure(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["--db", url, "report", "assurance"]) == 1
    err = capsys.readouterr().err
    assert "No programme is loaded yet" in err and one_sentence(err)


def test_unknown_programme_code_is_misuse(demo_copy, capsys):
    assert main(["--db", demo_copy, "report", "assurance", "--programme", "NOPE"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "No programme with the code NOPE is loaded."
