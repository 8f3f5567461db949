"""The fake Slack and the fake Bot Connector, for the walks (as tests/fuzz does)."""

from tests.slack.conftest import library, shared_slack, slack  # noqa: F401
from tests.teams.conftest import fake, shared_fake  # noqa: F401
