"""Willingness-to-engage assessments (per account or opportunity, kept with their time) and
sales-reputation snapshots (one quarter's scorecard as computed at a moment).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reputation_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("threshold", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("rfps", sa.Integer(), nullable=False),
        sa.Column("shaped", sa.Integer(), nullable=False),
        sa.Column("crowded", sa.Integer(), nullable=False),
        sa.Column("won", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.Column("won_priced", sa.Integer(), nullable=False),
        sa.Column("above_threshold", sa.Integer(), nullable=False),
        sa.Column("list_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("net_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("confirmed_won", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["users.id"],
            name=op.f("fk_reputation_snapshots_taken_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_reputation_snapshots_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reputation_snapshots")),
    )
    with op.batch_alter_table("reputation_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reputation_snapshots_period", ["period", "team_id", "taken_at"], unique=False
        )

    op.create_table(
        "willingness_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("newness", sa.Integer(), nullable=False),
        sa.Column("risk", sa.Integer(), nullable=False),
        sa.Column("willingness", sa.Integer(), nullable=False),
        sa.Column("quadrant", sa.String(length=24), nullable=False),
        sa.Column("model", sa.String(length=24), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "(account_id IS NULL) <> (opportunity_id IS NULL)",
            name=op.f("ck_willingness_assessments_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_willingness_assessments_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"],
            ["users.id"],
            name=op.f("fk_willingness_assessments_assessed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_willingness_assessments_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_willingness_assessments")),
    )
    with op.batch_alter_table("willingness_assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_willingness_account_at", ["account_id", "assessed_at"], unique=False
        )
        batch_op.create_index(
            "ix_willingness_opportunity_at", ["opportunity_id", "assessed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("willingness_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_willingness_opportunity_at")
        batch_op.drop_index("ix_willingness_account_at")
    op.drop_table("willingness_assessments")
    with op.batch_alter_table("reputation_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_reputation_snapshots_period")
    op.drop_table("reputation_snapshots")
