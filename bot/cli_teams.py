"""`aftercare teams package --out aftercare-teams.zip`: the Teams app package, generated from settings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli_support import CliMisuse, command
from bot.settings import Settings
from bot.teams.package import PackageOptions, write_package


def add_parsers(sub: Any) -> None:
    teams = sub.add_parser("teams", help="Microsoft Teams set-up").add_subparsers(dest="teams_command", required=True)
    package = teams.add_parser("package", help="the Teams app package (manifest.json and icons) to upload")
    package.add_argument("--out", type=Path, default=Path("aftercare-teams.zip"), help="where to write the zip")
    package.add_argument("--app-id", help="the Teams app's own GUID (default: derived from TEAMS_CLIENT_ID)")
    package.add_argument("--version", dest="app_version", default="1.0.0", help="the app version (semver)")
    package.add_argument("--developer", default="Aftercare", help="the publisher's name (up to 32 characters)")
    package.add_argument("--website", help="the publisher's website (https)")
    package.add_argument("--privacy-url", help="the privacy statement (default: WEBSITE/privacy)")
    package.add_argument("--terms-url", help="the terms of use (default: WEBSITE/terms)")
    package.add_argument("--domain", help="the bot's public host name, e.g. aftercare.example.org")


@command("teams package")
def teams_package(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.teams.client_id:
        raise CliMisuse("Please set TEAMS_CLIENT_ID (the bot's Entra app id) first.")
    options = PackageOptions(
        bot_id=settings.teams.client_id,
        app_id=args.app_id,
        version=args.app_version,
        developer=args.developer,
        **({"website": args.website} if args.website else {}),
        privacy_url=args.privacy_url,
        terms_url=args.terms_url,
        domain=args.domain,
    )
    try:
        out = write_package(options, args.out)
    except ValueError as error:
        raise CliMisuse(str(error)) from None
    print(f"Wrote the Teams app package to {out} (app id {options.teams_app_id}).")
    if not args.website:
        print("Note: the developer links are placeholders; pass --website (and --privacy-url, --terms-url).")
    return 0
