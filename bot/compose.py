"""Build the runtime every command shares from the one Settings object (nothing here reads the environment)."""

from __future__ import annotations

from typing import Any

from bot.plan_poster import PlanRuntime
from bot.prompt_files import library_folder, load_library
from bot.runtime import anonymity_secret
from bot.settings import Settings


def anonymity_key(settings: Settings) -> bytes:
    """The anonymity secret the settings name (AFTERCARE_ANONYMITY_SECRET or the key file)."""
    configured = settings.anonymity_secret.get_secret_value() if settings.anonymity_secret else None
    return anonymity_secret(settings.database_url, configured, settings.anonymity_key_path)


def build_runtime(settings: Settings, **extra: Any) -> PlanRuntime:
    """Storage, the anonymity secret, the prompt library and the reports folder, as the settings say; every
    feature (outbox, broadcasts, reports and the plan as a file)."""
    options: dict[str, Any] = {
        "secret": anonymity_key(settings),
        "library": load_library(library_folder(settings.prompts_dir)),
        "reports_folder": settings.reports_dir,
    }
    return PlanRuntime(settings.database_url, **(options | extra))
