"""anonymity: acknowledgements as keyed hashes with no person or date; folded check-in totals

Revision ID: 0008_anonymity
Revises: 0006
Create Date: 2026-12-06 20:00:00.000000

The old acknowledgements named a participant and a date; they are dropped (everyone is asked to read the statement
once more), because a list of who acknowledged is a list of who could have taken part (docs/anonymity.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_anonymity"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("acknowledgements")
    op.create_table(
        "acknowledgements",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("statement_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("token"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "indicator_totals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.String(length=40), nullable=False),
        sa.Column("cohort", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "cycle", "cohort", "item", "score"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("indicator_totals")
    op.drop_table("acknowledgements")
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("statement_hash", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id"),
    )
