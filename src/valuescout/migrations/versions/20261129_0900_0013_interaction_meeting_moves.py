"""Interactions remember whether they moved their deal's last meeting, and from which day, so
deleting one (or moving its day) can put the deal's last meeting back.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch copy of this table on SQLite would drop the
    # old one, and with foreign keys on that cascades into the interactions' details.
    op.add_column(
        "interactions",
        sa.Column("moved_last_meeting", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("interactions", sa.Column("last_meeting_before", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("interactions", "last_meeting_before")
    op.drop_column("interactions", "moved_last_meeting")
