"""Call plans (attendees, hypotheses, questions, outcomes to quantify) and interactions (with
their insights, questions, stakeholders and outcomes, and the value-quality counts and score).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("good_result", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_with_manager", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_call_plans_author_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_call_plans_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_plans")),
    )
    with op.batch_alter_table("call_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_plans_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_plans_opportunity_id"), ["opportunity_id"], unique=False
        )

    op.create_table(
        "call_plan_attendees",
        sa.Column("call_plan_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_plan_id"],
            ["call_plans.id"],
            name=op.f("fk_call_plan_attendees_call_plan_id_call_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_call_plan_attendees_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_plan_id", "contact_id", name=op.f("pk_call_plan_attendees")),
    )
    with op.batch_alter_table("call_plan_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_plan_attendees_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "call_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("persona_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_plan_id"],
            ["call_plans.id"],
            name=op.f("fk_call_plan_items_call_plan_id_call_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_call_plan_items_outcome_id_value_network_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["value_network_personas.id"],
            name=op.f("fk_call_plan_items_persona_id_value_network_personas"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_plan_items")),
    )
    with op.batch_alter_table("call_plan_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_plan_items_call_plan_id"), ["call_plan_id"], unique=False
        )

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("call_plan_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("quality_score", sa.Float(), nullable=True),
        sa.Column("insights_offered", sa.Integer(), nullable=False),
        sa.Column("expansion_questions", sa.Integer(), nullable=False),
        sa.Column("qualification_questions", sa.Integer(), nullable=False),
        sa.Column("allies_added", sa.Integer(), nullable=False),
        sa.Column("business_outcomes", sa.Integer(), nullable=False),
        sa.Column("personal_outcomes", sa.Integer(), nullable=False),
        sa.Column("quantified_outcomes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_interactions_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_interactions_author_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["call_plan_id"],
            ["call_plans.id"],
            name=op.f("fk_interactions_call_plan_id_call_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_interactions_opportunity_id_opportunities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_interactions_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interactions_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interactions_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interactions_call_plan_id"), ["call_plan_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interactions_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interactions_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interactions_team_id"), ["team_id"], unique=False)

    op.create_table(
        "interaction_insights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_insights_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_insights")),
    )
    with op.batch_alter_table("interaction_insights", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_insights_interaction_id"), ["interaction_id"], unique=False
        )

    op.create_table(
        "interaction_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_outcomes_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_interaction_outcomes_outcome_id_value_network_nodes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_outcomes")),
    )
    with op.batch_alter_table("interaction_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_outcomes_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_outcomes_outcome_id"), ["outcome_id"], unique=False
        )

    op.create_table(
        "interaction_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_questions_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_questions")),
    )
    with op.batch_alter_table("interaction_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_questions_interaction_id"), ["interaction_id"], unique=False
        )

    op.create_table(
        "interaction_stakeholders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("is_ally", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_interaction_stakeholders_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_stakeholders_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_stakeholders")),
    )
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_stakeholders_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_stakeholders_interaction_id"),
            ["interaction_id"],
            unique=False,
        )

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_stakeholders_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_interaction_stakeholders_contact_id"))

    op.drop_table("interaction_stakeholders")
    with op.batch_alter_table("interaction_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_questions_interaction_id"))

    op.drop_table("interaction_questions")
    with op.batch_alter_table("interaction_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_outcomes_outcome_id"))
        batch_op.drop_index(batch_op.f("ix_interaction_outcomes_interaction_id"))

    op.drop_table("interaction_outcomes")
    with op.batch_alter_table("interaction_insights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_insights_interaction_id"))

    op.drop_table("interaction_insights")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_team_id"))
        batch_op.drop_index(batch_op.f("ix_interactions_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_interactions_occurred_on"))
        batch_op.drop_index(batch_op.f("ix_interactions_call_plan_id"))
        batch_op.drop_index(batch_op.f("ix_interactions_author_id"))
        batch_op.drop_index(batch_op.f("ix_interactions_account_id"))

    op.drop_table("interactions")
    with op.batch_alter_table("call_plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_plan_items_call_plan_id"))

    op.drop_table("call_plan_items")
    with op.batch_alter_table("call_plan_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_plan_attendees_contact_id"))

    op.drop_table("call_plan_attendees")
    with op.batch_alter_table("call_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_plans_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_call_plans_author_id"))

    op.drop_table("call_plans")
