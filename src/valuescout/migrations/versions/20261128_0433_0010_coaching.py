"""Coaching sessions and their agreed actions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("focus", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"],
            name=op.f("fk_coaching_sessions_coach_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["users.id"],
            name=op.f("fk_coaching_sessions_seller_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_sessions")),
    )  # fmt: skip
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_sessions_coach_id"), ["coach_id"])
        batch_op.create_index(batch_op.f("ix_coaching_sessions_held_on"), ["held_on"])
        batch_op.create_index(batch_op.f("ix_coaching_sessions_seller_id"), ["seller_id"])

    op.create_table(
        "coaching_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["coaching_sessions.id"],
            name=op.f("fk_coaching_actions_session_id_coaching_sessions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coaching_actions")),
    )  # fmt: skip
    with op.batch_alter_table("coaching_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_actions_session_id"), ["session_id"])


def downgrade() -> None:
    with op.batch_alter_table("coaching_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_actions_session_id"))
    op.drop_table("coaching_actions")
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_seller_id"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_held_on"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_coach_id"))
    op.drop_table("coaching_sessions")
