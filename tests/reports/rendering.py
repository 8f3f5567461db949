"""Rendering reports as a person sees them: Word through LibreOffice, HTML through headless Chromium, then PNG pages.

Debian's packages only (chromium, libreoffice-writer-nogui, poppler-utils) and npm's axe-core, installed by .ci/run;
nothing is fetched while the tests run. A missing tool fails the test in CI and skips it elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

from bot.reports.pictures import HEADLESS_FLAGS

CHROMIUM_FLAGS = (*HEADLESS_FLAGS, "--hide-scrollbars")
AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
RESULTS = re.compile(r'<pre id="axe-results">(.*?)</pre>', re.S)


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI is set but {name} is missing; .ci/run installs {package}.")
    pytest.skip(f"{name} is not installed ({package}); .ci/run installs it.")


def chromium(*args: str, profile: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    command = [tool("chromium", "Debian's chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)


def docx_to_pdf(documents: list[Path], folder: Path) -> None:
    """All the documents in one LibreOffice start (a fresh profile, so nothing of the machine's is used)."""
    soffice = tool("soffice", "libreoffice-writer-nogui")
    profile = (folder / "lo-profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(folder), *map(str, documents)], check=True, capture_output=True, timeout=300)


def html_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri(), profile=profile)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([tool("pdfinfo", "poppler-utils"), str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    command = [tool("pdftotext", "poppler-utils"), *pages, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@dataclass(frozen=True)
class Box:
    word: str
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    width: float
    height: float


def pdf_words(pdf: Path) -> list[Box]:
    """Every word pdftotext finds, with its box and its page's size."""
    command = [tool("pdftotext", "poppler-utils"), "-bbox", str(pdf), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    boxes: list[Box] = []
    for number, (width, height, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S), start=1
    ):
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', body
        ):
            boxes.append(
                Box(unescape(word), number, float(x0), float(y0), float(x1), float(y1), float(width), float(height))
            )
    return boxes


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    subprocess.run([tool("pdftoppm", "poppler-utils"), "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def pieces(text: str) -> set[str]:
    """The words of a text as a layout may legitimately break them: at spaces, hyphens and slashes."""
    return {p for p in re.split(r"[\s/\-–—]+", text) if p}


def axe_check(page: Path, work: Path, profile: Path, width: int = 1280) -> dict[str, object]:
    """axe-core run inside the page in headless Chromium, with what overflows; returns its summary as a dict."""
    if not AXE.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI is set but {AXE} is missing; .ci/run runs npm ci in tests/reports/a11y.")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/reports/a11y); .ci/run installs it.")
    runner = (
        "<script>" + AXE.read_text(encoding="utf-8") + "</script><script>window.addEventListener('load', () => {"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(list(AXE_TAGS))}}}}}).then((r) => {{"
        "const cells = [...document.querySelectorAll('td, th')].filter((c) => c.scrollWidth > c.clientWidth + 1);"
        "const out = document.createElement('pre'); out.id = 'axe-results';"
        "out.textContent = JSON.stringify({violations: r.violations.map((v) => ({id: v.id, impact: v.impact, "
        "help: v.help, nodes: v.nodes.length})), passes: r.passes.length, overflowingCells: cells.length, "
        "pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth});"
        "document.body.appendChild(out); }); });</script>"
    )
    checked = work / f"axe-{page.name}"
    checked.write_text(page.read_text(encoding="utf-8").replace("</body>", runner + "</body>"), encoding="utf-8")
    done = chromium(
        f"--window-size={width},1000", "--virtual-time-budget=30000", "--dump-dom", checked.as_uri(), profile=profile
    )
    found = RESULTS.search(done.stdout)
    assert found, f"axe-core did not finish on {page.name}"
    result: dict[str, object] = json.loads(unescape(found.group(1)))
    return result
