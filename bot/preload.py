"""What `aftercare serve` loads before it takes its first request, so that no request pays for it; and the
objects of start-up set aside from Python's garbage collector once it has started (``freeze``).

A report asked for from chat (`/aftercare report KIND`) builds and draws it in the request: the first one in a
process used to import scikit-learn, numpy, matplotlib and python-docx there (about 2-4 s on a busy 2-core
machine), which missed Slack's 3-second acknowledgement. The reflection screen's classifier is read on first use as
well. Quick commands (`aftercare screen`, `say`, `check` ...) load none of this: only the long-running server does.

``freeze``: a full collection walks every object the process holds. With the SDKs, SQLAlchemy, pydantic and the
report libraries loaded that is a few hundred thousand objects, and a command that builds many objects (a
broadcast to 10,000 people builds several hundred thousand) set off three full collections, 0.4-0.8 s of a
confirmed broadcast on this machine. ``gc.freeze`` moves what exists once start-up is over (modules, classes,
settings, the app) into a generation the collector no longer walks; they live as long as the process anyway.
"""

from __future__ import annotations

import gc
import importlib
import logging
import time

logger = logging.getLogger(__name__)

HEAVY = (
    "bot.reports.pipeline",  # scikit-learn and numpy (wording groups)
    "bot.reports.html",
    "bot.reports.charts",  # matplotlib
    "bot.reports.docx_out",  # python-docx
    "bot.reports.markdown",
)


def preload() -> float:
    """Import the report builders and renderers and read the screen's classifier; the seconds it took."""
    started = time.perf_counter()
    for name in HEAVY:
        importlib.import_module(name)
    from handlers.screen_model import weights

    weights()
    took = time.perf_counter() - started
    logger.info("report builders and the screen's classifier loaded in %.1f s", took)
    return took


def freeze() -> None:
    """Collect once, then leave everything that exists now out of later collections (`aftercare serve` once started,
    `aftercare worker` before it runs)."""
    gc.collect()
    gc.freeze()
    logger.info("%d objects of start-up set aside from garbage collection", gc.get_freeze_count())
