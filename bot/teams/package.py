"""The Teams app package: manifest.json (schema v1.29), a colour icon (192×192) and an outline icon (32×32), zipped.

The manifest is generated from settings (the bot's Entra app id is TEAMS_CLIENT_ID) and lists the bot's commands,
the same words as the Slack slash commands (shared CONTRACT §5), typed without the slash. The icons are drawn here
with a tiny PNG writer, so that packaging needs nothing beyond the standard library.
"""

from __future__ import annotations

import io
import json
import re
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST_SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
ACCENT = (0x1F, 0x6F, 0x78)  # a calm teal
COMMANDS = (
    ("aftercare", "help, privacy, whoami, away until YYYY-MM-DD, back, peers on|off, report KIND"),
    ("actions", "your open actions; mine|team|agency|all|overdue|blocked; CODE; CODE STATUS [note]; CODE note TEXT"),
    ("reflect", "a short reflection nobody can trace back to you (opens a form)"),
    ("checkin", "this cycle's light-touch check-in (opens a form)"),
    ("broadcast", 'facilitators: AUDIENCE PROMPT-ID|"text" [at WHEN]; confirm, edit, move, cancel ID; list; status ID'),
)
GROUP_COMMANDS = ("aftercare", "actions")


@dataclass(frozen=True)
class PackageOptions:
    bot_id: str
    app_id: str | None = None
    version: str = "1.0.0"
    developer: str = "Aftercare"
    website: str = "https://www.example.org/aftercare"
    privacy_url: str | None = None
    terms_url: str | None = None
    domain: str | None = None

    @property
    def teams_app_id(self) -> str:
        """Stable for one bot: the same package id every time it is generated."""
        return self.app_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://aftercare/teams/{self.bot_id.lower()}"))


def commands(names: tuple[str, ...] | None = None) -> list[dict[str, str]]:
    return [{"title": title, "description": text} for title, text in COMMANDS if names is None or title in names]


def manifest(options: PackageOptions) -> dict[str, Any]:
    for label, value in (("TEAMS_CLIENT_ID", options.bot_id), ("the app id", options.teams_app_id)):
        if not GUID.match(value):
            raise ValueError(f"{label} must be a GUID, such as 00000000-0000-0000-0000-000000000000.")
    website = options.website.rstrip("/")
    bot = {
        "botId": options.bot_id,
        "scopes": ["personal", "team", "groupChat"],
        "isNotificationOnly": False,
        "supportsFiles": True,  # reports come with files, sent by file consent cards (bot/teams/files.py)
        "commandLists": [
            {"scopes": ["personal"], "commands": commands()},
            {"scopes": ["team", "groupChat"], "commands": commands(GROUP_COMMANDS)},
        ],
    }
    result: dict[str, Any] = {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": "1.29",
        "version": options.version,
        "id": options.teams_app_id,
        "developer": {
            "name": options.developer[:32],
            "websiteUrl": website,
            "privacyUrl": options.privacy_url or f"{website}/privacy",
            "termsOfUseUrl": options.terms_url or f"{website}/terms",
        },
        "name": {"short": "Aftercare", "full": "Aftercare: carrying a review's learning into practice"},
        "description": {
            "short": "Reflection prompts, check-ins and the action plan of a safeguarding review.",
            "full": (
                "Aftercare helps a safeguarding children partnership carry the learning of a Child Safeguarding "
                "Practice Review into everyday practice: short reflection prompts answered non-attributably, "
                "light-touch check-ins, and the review's action plan with owners, due dates and evidence. "
                "Type help to see the commands open to you."
            ),
        },
        "icons": {"outline": "outline.png", "color": "color.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [bot],
        "defaultInstallScope": "personal",
    }
    if options.domain:
        result["validDomains"] = [options.domain]
    return result


def png(width: int, height: int, pixel: Any) -> bytes:
    """A PNG (RGBA, 8 bits) whose pixel (x, y) is `pixel(x, y) -> (r, g, b, a)`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _ring(size: int, x: int, y: int) -> float:
    """Distance of (x, y) from a ring centred in the icon, relative to its size."""
    centre = (size - 1) / 2
    distance = float(((x - centre) ** 2 + (y - centre) ** 2) ** 0.5)
    return abs(distance - size * 0.3) / size


def color_icon(size: int = 192) -> bytes:
    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        on_ring = _ring(size, x, y) < 0.045
        on_dot = ((x - size * 0.5) ** 2 + (y - size * 0.5) ** 2) ** 0.5 < size * 0.08
        return (255, 255, 255, 255) if on_ring or on_dot else (*ACCENT, 255)

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if _ring(size, x, y) < 0.05 else (0, 0, 0, 0)

    return png(size, size, pixel)


def package_bytes(options: PackageOptions) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest(options), indent=2, ensure_ascii=False))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()


def write_package(options: PackageOptions, out: Path) -> Path:
    out.write_bytes(package_bytes(options))
    return out
