"""door: the Slack workspaces and Teams tenants each programme reaches

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 20:00:00.000000

Existing databases are filled from the accounts already known (file or earlier email match); importing the
programme file again sets the list exactly from ``slack_workspaces``, ``teams_tenants`` and the roster.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_workspaces",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("programme_id", "platform", "workspace"),
    )
    with op.batch_alter_table("programme_workspaces", schema=None) as batch_op:
        batch_op.create_index("ix_programme_workspace_lookup", ["platform", "workspace"], unique=False)
    op.execute(
        "INSERT INTO programme_workspaces (programme_id, platform, workspace) "
        "SELECT DISTINCT p.programme_id, i.platform, i.workspace FROM platform_identities i "
        "JOIN participants p ON p.id = i.participant_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("programme_workspaces", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_workspace_lookup")
    op.drop_table("programme_workspaces")
