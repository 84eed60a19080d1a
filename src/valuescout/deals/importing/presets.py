"""Presets: the column names, stage names, deal types and date forms of known CRM exports.

A preset names, for each of our fields, the columns it may appear under (matched ignoring
case and spaces); a mapping file overrides any of it. The Maven CRM preset reads four related
files and lives in maven.py; its entry here names it and its date form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Our fields, in the order a generic file lists them; the first five are required.
FIELDS = (
    "external_id",
    "name",
    "stage",
    "amount",
    "close_date",
    "account",
    "owner",
    "currency",
    "deal_type",
    "product",
    "quantity",
    "engaged_on",
)
REQUIRED = ("external_id", "name", "stage", "amount", "close_date")
DEAL_TYPES = ("new", "expansion", "renewal")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def value_key(text: str) -> str:
    """Names that match ignoring case, spaces and punctuation ("Closed Won" is closedwon)."""
    return _NON_ALNUM.sub("", text.lower())


def column_key(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    columns: dict[str, tuple[str, ...]]
    stages: dict[str, str] = field(default_factory=dict)  # value_key(theirs) -> our stage
    deal_types: dict[str, str] = field(default_factory=dict)  # value_key(theirs) -> ours
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # built-in typo fixes


def _keys(pairs: dict[str, str]) -> dict[str, str]:
    return {value_key(k): v for k, v in pairs.items()}


GENERIC = Preset(
    name="generic",
    label="Generic CSV (our column names)",
    columns={f: (f,) for f in FIELDS},
    deal_types=_keys({"new business": "new", "existing business": "expansion"}),
    date_formats=("%Y-%m-%d",),
)

SALESFORCE = Preset(
    name="salesforce",
    label="Salesforce opportunity report",
    columns={
        "external_id": ("Opportunity ID", "Opportunity ID (18)", "Id"),
        "name": ("Opportunity Name",),
        "account": ("Account Name",),
        "owner": ("Opportunity Owner", "Owner", "Owner Name"),
        "stage": ("Stage",),
        "amount": ("Amount",),
        "currency": ("Opportunity Currency", "Amount Currency", "Currency"),
        "close_date": ("Close Date",),
        "deal_type": ("Type",),
        "product": ("Product Name",),
        "quantity": ("Quantity",),
    },
    stages=_keys(
        {
            "Prospecting": "Prospecting",
            "Qualification": "Qualifying",
            "Needs Analysis": "Engaging",
            "Value Proposition": "Engaging",
            "Id. Decision Makers": "Engaging",
            "Perception Analysis": "Engaging",
            "Proposal/Price Quote": "Proposal",
            "Negotiation/Review": "Negotiation",
            "Closed Won": "Won",
            "Closed Lost": "Lost",
        }
    ),
    deal_types=_keys(
        {"New Business": "new", "Existing Business": "expansion", "Renewal": "renewal"}
    ),
    date_formats=("%m/%d/%Y", "%Y-%m-%d"),
)

HUBSPOT = Preset(
    name="hubspot",
    label="HubSpot deals export",
    columns={
        "external_id": ("Record ID", "Deal ID"),
        "name": ("Deal Name",),
        "account": ("Associated Company", "Associated Company (Primary)", "Company name"),
        "owner": ("Deal owner", "Deal Owner", "HubSpot Owner"),
        "stage": ("Deal Stage",),
        "amount": ("Amount", "Amount in company currency"),
        "currency": ("Currency", "Deal currency code"),
        "close_date": ("Close Date",),
        "deal_type": ("Deal Type",),
    },
    stages=_keys(
        {
            "Appointment Scheduled": "Prospecting",
            "Qualified To Buy": "Qualifying",
            "Presentation Scheduled": "Engaging",
            "Decision Maker Bought-In": "Proposal",
            "Contract Sent": "Negotiation",
            "Closed Won": "Won",
            "Closed Lost": "Lost",
        }
    ),
    deal_types=_keys({"newbusiness": "new", "existingbusiness": "expansion", "renewal": "renewal"}),
    date_formats=("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"),
)

MAVEN = Preset(
    name="maven",
    label="Maven CRM export (sales_pipeline, sales_teams, products, accounts)",
    columns={},
    values={
        "sector": {"technolgy": "technology"},
        "office_location": {"Philipines": "Philippines"},
    },
)

PRESETS = {p.name: p for p in (GENERIC, SALESFORCE, HUBSPOT, MAVEN)}
PRESET_NAMES = tuple(PRESETS)


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"Unknown preset {name!r}; use one of {', '.join(PRESET_NAMES)}."
        ) from None
