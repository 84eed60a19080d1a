"""Value networks: offers, networks, nodes, links, personas, competitors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 17:00:53.766360
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
        sa.UniqueConstraint("name", name=op.f("uq_offers_name")),
    )
    op.create_table(
        "value_networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
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
            ["offer_id"],
            ["offers.id"],
            name=op.f("fk_value_networks_offer_id_offers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_networks")),
        sa.UniqueConstraint("name_key", name=op.f("uq_value_networks_name_key")),
    )
    with op.batch_alter_table("value_networks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_value_networks_offer_id"), ["offer_id"], unique=False)

    op.create_table(
        "value_network_competitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["value_networks.id"],
            name=op.f("fk_value_network_competitors_network_id_value_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_network_competitors")),
        sa.UniqueConstraint(
            "network_id", "name_key", name=op.f("uq_value_network_competitors_network_id")
        ),
    )
    with op.batch_alter_table("value_network_competitors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_competitors_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "value_network_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("node_type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("differentiator_kind", sa.String(length=32), nullable=True),
        sa.Column("outcome_kind", sa.String(length=16), nullable=True),
        sa.Column("executive", sa.Boolean(), nullable=False),
        sa.Column("measure", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["value_networks.id"],
            name=op.f("fk_value_network_nodes_network_id_value_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_network_nodes")),
        sa.UniqueConstraint(
            "network_id", "name_key", name=op.f("uq_value_network_nodes_network_id")
        ),
    )
    with op.batch_alter_table("value_network_nodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_nodes_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "value_network_personas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["value_networks.id"],
            name=op.f("fk_value_network_personas_network_id_value_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_network_personas")),
        sa.UniqueConstraint(
            "network_id", "name_key", name=op.f("uq_value_network_personas_network_id")
        ),
    )
    with op.batch_alter_table("value_network_personas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_personas_network_id"), ["network_id"], unique=False
        )

    op.create_table(
        "value_network_competitor_matches",
        sa.Column("competitor_id", sa.Integer(), nullable=False),
        sa.Column("differentiator_id", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["value_network_competitors.id"],
            name=op.f(
                "fk_value_network_competitor_matches_competitor_id_value_network_competitors"
            ),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["differentiator_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_value_network_competitor_matches_differentiator_id_value_network_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "competitor_id", "differentiator_id", name=op.f("pk_value_network_competitor_matches")
        ),
    )
    with op.batch_alter_table("value_network_competitor_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_competitor_matches_differentiator_id"),
            ["differentiator_id"],
            unique=False,
        )

    op.create_table(
        "value_network_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("two_way", sa.Boolean(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["value_networks.id"],
            name=op.f("fk_value_network_links_network_id_value_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_value_network_links_source_id_value_network_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_value_network_links_target_id_value_network_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_network_links")),
        sa.UniqueConstraint(
            "network_id", "source_id", "target_id", name=op.f("uq_value_network_links_network_id")
        ),
    )
    with op.batch_alter_table("value_network_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_links_network_id"), ["network_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_value_network_links_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_value_network_links_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "value_network_persona_outcomes",
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("strength", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["value_network_nodes.id"],
            name=op.f("fk_value_network_persona_outcomes_outcome_id_value_network_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["value_network_personas.id"],
            name=op.f("fk_value_network_persona_outcomes_persona_id_value_network_personas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "persona_id", "outcome_id", name=op.f("pk_value_network_persona_outcomes")
        ),
    )
    with op.batch_alter_table("value_network_persona_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_value_network_persona_outcomes_outcome_id"), ["outcome_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("value_network_persona_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_persona_outcomes_outcome_id"))

    op.drop_table("value_network_persona_outcomes")
    with op.batch_alter_table("value_network_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_links_target_id"))
        batch_op.drop_index(batch_op.f("ix_value_network_links_source_id"))
        batch_op.drop_index(batch_op.f("ix_value_network_links_network_id"))

    op.drop_table("value_network_links")
    with op.batch_alter_table("value_network_competitor_matches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_competitor_matches_differentiator_id"))

    op.drop_table("value_network_competitor_matches")
    with op.batch_alter_table("value_network_personas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_personas_network_id"))

    op.drop_table("value_network_personas")
    with op.batch_alter_table("value_network_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_nodes_network_id"))

    op.drop_table("value_network_nodes")
    with op.batch_alter_table("value_network_competitors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_network_competitors_network_id"))

    op.drop_table("value_network_competitors")
    with op.batch_alter_table("value_networks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_networks_offer_id"))

    op.drop_table("value_networks")
    op.drop_table("offers")
