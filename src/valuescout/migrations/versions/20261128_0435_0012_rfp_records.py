"""RFP records on opportunities: engagement class, dates, outcome, competitors responding and
whether the customer wrote the requirements alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "rfps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("engagement_class", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("competitors_responding", sa.Integer(), nullable=True),
        sa.Column("customer_written", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_rfps_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_rfps_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rfps")),
    )
    with op.batch_alter_table("rfps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rfps_opportunity_id"), ["opportunity_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rfps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rfps_opportunity_id"))
    op.drop_table("rfps")
