"""Value-scout discoveries: value gaps logged by anyone customer-facing and their review
into the value network (attached to an outcome, a new outcome, or declined with a reason).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    op.create_table(
        "discoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("desired_outcome", sa.String(length=300), nullable=False),
        sa.Column("value_hint", sa.Text(), nullable=False),
        sa.Column("value_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.String(length=12), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.String(length=24), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_discoveries_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["value_networks.id"],
            name=op.f("fk_discoveries_network_id_value_networks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_discoveries_outcome_id_value_network_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["users.id"],
            name=op.f("fk_discoveries_reported_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_discoveries_reviewed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discoveries")),
    )
    with op.batch_alter_table("discoveries", schema=None) as batch_op:
        for column in ("account_id", "network_id", "outcome_id", "reported_by_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_discoveries_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("discoveries", schema=None) as batch_op:
        for column in ("status", "reported_by_id", "outcome_id", "network_id", "account_id"):
            batch_op.drop_index(batch_op.f(f"ix_discoveries_{column}"))
    op.drop_table("discoveries")
