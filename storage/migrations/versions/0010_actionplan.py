"""actionplan: no action stays closed without evidence of impact; files uploaded in chat awaiting Apply

An earlier import accepted 'Closed' with no evidence of impact. Such actions become 'complete' (awaiting evidence of
impact), with the change in their history, so that no report calls them closed with impact evidenced.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-06 20:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008_anonymity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD = (
    "INSERT INTO action_updates (action_id, at, actor_email, actor_name, kind, old, new, note) "
    "SELECT id, CURRENT_TIMESTAMP, 'import@aftercare', 'Aftercare upgrade', 'import', 'closed', 'complete', "
    "'status (closed needs evidence of impact)' FROM actions "
    "WHERE status = 'closed' AND (evidence_of_impact IS NULL OR TRIM(evidence_of_impact) = '')"
)
REOPEN = (
    "UPDATE actions SET status = 'complete' "
    "WHERE status = 'closed' AND (evidence_of_impact IS NULL OR TRIM(evidence_of_impact) = '')"
)


def upgrade() -> None:
    op.execute(RECORD)
    op.execute(REOPEN)
    op.create_table(
        "plan_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """The uploads table goes; which actions were closed without evidence stays in their history."""
    op.drop_table("plan_uploads")
