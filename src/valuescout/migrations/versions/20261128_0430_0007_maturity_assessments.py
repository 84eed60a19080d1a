"""Maturity assessments: rounds, answers, results.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 04:30:00
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
        "maturity_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"],
            name=op.f("fk_maturity_rounds_closed_by_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"],
            name=op.f("fk_maturity_rounds_opened_by_id_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_rounds")),
    )  # fmt: skip
    with op.batch_alter_table("maturity_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_maturity_rounds_status"), ["status"], unique=False)

    op.create_table(
        "maturity_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("indicator_id", sa.String(length=80), nullable=False),
        sa.Column("answer", sa.SmallInteger(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"], ["users.id"],
            name=op.f("fk_maturity_answers_respondent_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["maturity_rounds.id"],
            name=op.f("fk_maturity_answers_round_id_maturity_rounds"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_answers")),
        sa.UniqueConstraint(
            "round_id", "respondent_id", "indicator_id", name=op.f("uq_maturity_answers_round_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("maturity_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_maturity_answers_respondent_id"), ["respondent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_maturity_answers_round_id"), ["round_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("maturity_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_maturity_answers_round_id"))
        batch_op.drop_index(batch_op.f("ix_maturity_answers_respondent_id"))
    op.drop_table("maturity_answers")
    with op.batch_alter_table("maturity_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_maturity_rounds_status"))
    op.drop_table("maturity_rounds")
