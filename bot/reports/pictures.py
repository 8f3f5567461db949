"""Pictures of the reports' pages, so a facilitator can look at them without opening anything.

The Word documents go through LibreOffice and the HTML reports through headless Chromium's print, each to PDF, and
poppler's pdftoppm turns every page into a PNG (``pages/report-KIND-docx-1.png``, ``...-html-1.png``). These are
Debian packages (libreoffice-writer-nogui, chromium, poppler-utils); where one is missing, those pictures are
skipped and the caller is told why. Only files on this machine are read: Chromium is started with its network
features off and a fresh profile.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

HEADLESS_FLAGS = (  # headless Chromium on a machine with no network beyond loopback (also used by the tests)
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_FLAGS = (*HEADLESS_FLAGS, "--no-pdf-header-footer")
DPI = 70


def page_pictures(folder: Path, documents: list[Path], pages: list[Path]) -> tuple[list[str], list[str]]:
    """PNG pictures of every page of the Word documents and HTML pages; returns (pictures written, what is missing)."""
    pdftoppm, soffice, chromium = (shutil.which(name) for name in ("pdftoppm", "soffice", "chromium"))
    missing = [
        package
        for package, found in (
            ("poppler-utils", pdftoppm),
            ("libreoffice-writer-nogui", soffice),
            ("chromium", chromium),
        )
        if not found
    ]
    if pdftoppm is None:
        return [], missing
    documents, pages = [d.resolve() for d in documents], [p.resolve() for p in pages]
    out = folder.resolve() / "pages"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aftercare-pages-") as scratch:
        work = Path(scratch).resolve()
        pdfs: list[tuple[Path, str]] = []
        if soffice and documents:
            pdfs += _word(soffice, documents, work)
        if chromium:
            pdfs += [(pdf, f"{page.stem}-html") for page in pages if (pdf := _html(chromium, page, work)) is not None]
        written = []
        for pdf, stem in pdfs:
            command = [pdftoppm, "-r", str(DPI), "-png", str(pdf), str(out / stem)]
            subprocess.run(command, check=True, timeout=120)  # noqa: S603 (our own files, a Debian tool)
            written += sorted(p.name for p in out.glob(f"{stem}-*.png"))
    return written, missing


def _word(soffice: str, documents: list[Path], work: Path) -> list[tuple[Path, str]]:
    profile = (work / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    try:
        command += [str(work), *map(str, documents)]
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # noqa: S603 (our own files)
    except (subprocess.SubprocessError, OSError):
        logger.warning("LibreOffice could not convert the Word reports")
        return []
    return [(work / f"{d.stem}.pdf", f"{d.stem}-docx") for d in documents if (work / f"{d.stem}.pdf").exists()]


def _html(chromium: str, page: Path, work: Path) -> Path | None:
    pdf = work / f"{page.stem}-html.pdf"
    command = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={work / 'chromium'}",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603 (a local file)
    except (subprocess.SubprocessError, OSError):
        logger.warning("Chromium could not print %s", page.name)
        return None
    return pdf if pdf.exists() else None
