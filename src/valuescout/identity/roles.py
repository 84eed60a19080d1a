"""Roles and what each may do. One table, so the rules are readable in one place."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SELLER = "seller"
    MANAGER = "manager"
    PRICE_DESK = "price_desk"
    EXECUTIVE = "executive"
    ADMIN = "admin"
    CONTRIBUTOR = "contributor"


class Permission(StrEnum):
    VIEW_PEOPLE = "view_people"  # see other users (within row scope)
    MANAGE_USERS = "manage_users"  # create users, change roles and teams, deactivate
    MANAGE_TEAMS = "manage_teams"
    VIEW_AUDIT = "view_audit"
    SEE_MONEY = "see_money"  # deal amounts, prices, discounts
    EDIT_VALUE_NETWORKS = "edit_value_networks"
    EDIT_DEALS = "edit_deals"  # change accounts, contacts, opportunities, value cases in scope
    IMPORT_DEALS = "import_deals"  # bulk import from CRM exports (creates records for others)
    CONFIGURE_DEALS = "configure_deals"  # stages, margin floor, products
    MANAGE_PRICE_POLICY = "manage_price_policy"  # write and apply the price desk's policy
    VIEW_ANALYTICS = "view_analytics"  # discount and margin analytics over deals in scope
    REVIEW_APPROVERS = "review_approvers"  # approver leniency: every approver's decisions
    TAKE_FORECAST_SNAPSHOTS = "take_forecast_snapshots"  # freeze the company's forecast
    SET_QUOTAS = "set_quotas"  # a team's quota for a forecast period
    RUN_ASSESSMENTS = "run_assessments"  # open and close the company's maturity assessments
    VIEW_MATURITY_RESULTS = "view_maturity_results"  # everyone's answers, aggregated
    COACH_SELLERS = "coach_sellers"  # record coaching sessions with sellers in scope


ROLE_LABELS = {
    Role.SELLER: "Seller",
    Role.MANAGER: "Manager",
    Role.PRICE_DESK: "Price desk",
    Role.EXECUTIVE: "Executive",
    Role.ADMIN: "Administrator",
    Role.CONTRIBUTOR: "Contributor",
}

_ALL = frozenset(Permission)
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SELLER: frozenset({Permission.SEE_MONEY, Permission.EDIT_DEALS}),
    Role.MANAGER: frozenset(
        {
            Permission.SEE_MONEY,
            Permission.VIEW_PEOPLE,
            Permission.EDIT_VALUE_NETWORKS,
            Permission.EDIT_DEALS,
            Permission.VIEW_ANALYTICS,
            Permission.VIEW_MATURITY_RESULTS,
            Permission.COACH_SELLERS,
        }
    ),
    Role.PRICE_DESK: frozenset(
        {
            Permission.SEE_MONEY,
            Permission.VIEW_PEOPLE,
            Permission.VIEW_ANALYTICS,
            Permission.REVIEW_APPROVERS,
        }
    ),
    Role.EXECUTIVE: frozenset(
        {
            Permission.SEE_MONEY,
            Permission.VIEW_PEOPLE,
            Permission.VIEW_ANALYTICS,
            Permission.REVIEW_APPROVERS,
            Permission.TAKE_FORECAST_SNAPSHOTS,
            Permission.SET_QUOTAS,
            Permission.RUN_ASSESSMENTS,
            Permission.VIEW_MATURITY_RESULTS,
        }
    ),
    Role.ADMIN: _ALL,
    # A customer-facing colleague outside sales: logs value discoveries, sees no deal money.
    Role.CONTRIBUTOR: frozenset(),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]
