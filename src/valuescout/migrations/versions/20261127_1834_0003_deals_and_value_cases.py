"""Deals and value cases: stages, settings, accounts, contacts, products, opportunities,
line items, their history, and value cases with their outcomes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 18:34:51.073362
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

# The default sales process; admins edit it. (name, win probability, outcome)
DEFAULT_STAGES = [
    ("Prospecting", Decimal("0.10"), "open"),
    ("Qualifying", Decimal("0.20"), "open"),
    ("Engaging", Decimal("0.40"), "open"),
    ("Proposal", Decimal("0.60"), "open"),
    ("Negotiation", Decimal("0.80"), "open"),
    ("Won", Decimal("1"), "won"),
    ("Lost", Decimal("0"), "lost"),
]


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("margin_floor", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("target_share", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_settings")),
    )
    op.create_table(
        "deal_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_key", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_stages")),
        sa.UniqueConstraint("name_key", name=op.f("uq_deal_stages_name_key")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("annual_revenue", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("territory", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("year_established", sa.Integer(), nullable=True),
        sa.Column("parent_name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_accounts_owner_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("external_id", name=op.f("uq_accounts_external_id")),
        sa.UniqueConstraint("name_key", name=op.f("uq_accounts_name_key")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("family", sa.String(length=100), nullable=False),
        sa.Column("list_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("value_network_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["value_network_id"],
            ["value_networks.id"],
            name=op.f("fk_products_value_network_id_value_networks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("name_key", name=op.f("uq_products_name_key")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("buying_role", sa.String(length=20), nullable=False),
        sa.Column("is_ally", sa.Boolean(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_contacts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["value_network_personas.id"],
            name=op.f("fk_contacts_persona_id_value_network_personas"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_persona_id"), ["persona_id"], unique=False)

    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Numeric(precision=6, scale=4), nullable=True),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("engaged_on", sa.Date(), nullable=True),
        sa.Column("deal_type", sa.String(length=12), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("value_network_id", sa.Integer(), nullable=True),
        sa.Column("alternative_kind", sa.String(length=12), nullable=False),
        sa.Column("alternative_name", sa.String(length=200), nullable=False),
        sa.Column("competitor_id", sa.Integer(), nullable=True),
        sa.Column("alternative_price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("rfp_class", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_opportunities_account_id_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["value_network_competitors.id"],
            name=op.f("fk_opportunities_competitor_id_value_network_competitors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_opportunities_owner_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["deal_stages.id"],
            name=op.f("fk_opportunities_stage_id_deal_stages"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_opportunities_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["value_network_id"],
            ["value_networks.id"],
            name=op.f("fk_opportunities_value_network_id_value_networks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
        sa.UniqueConstraint("external_id", name=op.f("uq_opportunities_external_id")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunities_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opportunities_amount"), ["amount"], unique=False)
        batch_op.create_index(
            "ix_opportunities_close", ["close_date", "id", "stage_id", "owner_id"], unique=False
        )
        batch_op.create_index(
            "ix_opportunities_owner_close",
            ["owner_id", "close_date", "stage_id", "probability", "amount"],
            unique=False,
        )
        batch_op.create_index(
            "ix_opportunities_stage_totals",
            ["stage_id", "probability", "amount", "close_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_opportunities_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_opportunities_value_network_id"), ["value_network_id"], unique=False
        )

    op.create_table(
        "opportunity_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.String(length=100), nullable=True),
        sa.Column("new_value", sa.String(length=100), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_opportunity_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_changes_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_changes")),
    )
    with op.batch_alter_table("opportunity_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opportunity_changes_opp_at", ["opportunity_id", "changed_at"], unique=False
        )

    op.create_table(
        "opportunity_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("list_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("net_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_lines_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_opportunity_lines_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_lines")),
    )
    with op.batch_alter_table("opportunity_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunity_lines_opportunity_id"), ["opportunity_id"], unique=False
        )

    op.create_table(
        "value_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("target_share", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("assumptions", sa.Text(), nullable=False),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_value_cases_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_cases")),
        sa.UniqueConstraint("opportunity_id", name=op.f("uq_value_cases_opportunity_id")),
    )
    op.create_table(
        "value_case_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_case_id", sa.Integer(), nullable=False),
        sa.Column("network_outcome_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("yearly_value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("recurrence", sa.String(length=10), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Numeric(precision=6, scale=4), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("evidence_source", sa.String(length=200), nullable=False),
        sa.Column("evidence_note", sa.Text(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_value_case_outcomes_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["network_outcome_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_value_case_outcomes_network_outcome_id_value_network_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["value_network_personas.id"],
            name=op.f("fk_value_case_outcomes_persona_id_value_network_personas"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["value_case_id"],
            ["value_cases.id"],
            name=op.f("fk_value_case_outcomes_value_case_id_value_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_case_outcomes")),
    )
    with op.batch_alter_table("value_case_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_case_outcomes_value_case_id"), ["value_case_id"], unique=False
        )

    stages = sa.table(
        "deal_stages",
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("position", sa.Integer),
        sa.column("probability", sa.Numeric),
        sa.column("outcome", sa.String),
    )
    op.bulk_insert(
        stages,
        [
            {
                "name": n,
                "name_key": n.lower(),
                "position": i,
                "probability": p,
                "outcome": o,
            }
            for i, (n, p, o) in enumerate(DEFAULT_STAGES, start=1)
        ],
    )
    settings = sa.table(
        "deal_settings",
        sa.column("id", sa.Integer),
        sa.column("margin_floor", sa.Numeric),
        sa.column("discount_rate", sa.Numeric),
        sa.column("target_share", sa.Numeric),
        sa.column("currency", sa.String),
    )
    op.bulk_insert(
        settings,
        [
            {
                "id": 1,
                "margin_floor": Decimal("0.25"),
                "discount_rate": Decimal("0.10"),
                "target_share": Decimal("0.50"),
                "currency": "USD",
            }
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("value_case_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_case_outcomes_value_case_id"))

    op.drop_table("value_case_outcomes")
    op.drop_table("value_cases")
    with op.batch_alter_table("opportunity_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunity_lines_opportunity_id"))

    op.drop_table("opportunity_lines")
    with op.batch_alter_table("opportunity_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_changes_opp_at")

    op.drop_table("opportunity_changes")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_value_network_id"))
        batch_op.drop_index(batch_op.f("ix_opportunities_team_id"))
        batch_op.drop_index("ix_opportunities_stage_totals")
        batch_op.drop_index("ix_opportunities_owner_close")
        batch_op.drop_index("ix_opportunities_close")
        batch_op.drop_index(batch_op.f("ix_opportunities_amount"))
        batch_op.drop_index(batch_op.f("ix_opportunities_account_id"))

    op.drop_table("opportunities")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_persona_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_account_id"))

    op.drop_table("contacts")
    op.drop_table("products")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_owner_id"))

    op.drop_table("accounts")
    op.drop_table("deal_stages")
    op.drop_table("deal_settings")
