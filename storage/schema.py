"""Every table, in one MetaData: what Alembic compares against and what tests scan."""

from storage import (
    anonymous_models,
    delivery_models,
    plan_upload_models,
    rate_models,
    report_models,
    slack_models,
    teams_models,
)
from storage.models import Base

metadata = Base.metadata
MODULES = (
    anonymous_models,
    delivery_models,
    teams_models,
    slack_models,
    report_models,
    rate_models,
    plan_upload_models,
)

__all__ = ["metadata"]
