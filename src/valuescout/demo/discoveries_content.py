"""What the demo company's people heard from customers: value gaps for the discoveries demo.

Each gap names its network (by offer), what the customer faces, what they want, how they put
its worth, a theme, and how the value network's editors dealt with it: attached to an outcome
already in the network, added as a new outcome (then linked from the differentiator that
drives it, so the demo networks stay lint-clean), declined with a reason, or still waiting for
review. The product ideas come from the gaps declined as not something we deliver. Written
for the demo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    network: str  # "flowcare" | "smartflow"
    situation: str
    desired_outcome: str
    value_hint: str
    amount: tuple[int, int] | None  # yearly value range the customer named, or None
    theme: str
    review: str  # attach | create | decline | new
    target: str = ""  # attach: the outcome; create: the new outcome's name
    link_from: str = ""  # create: the differentiator leading to it ("" = nothing yet)
    reason: str = ""  # decline: a DeclineReason value
    note: str = ""
    # create: how the editor then placed the new outcome - the outcome it leads to and the
    # persona who wants it (a new outcome left unlinked or unowned would fail the network's lint)
    leads_to: str = ""
    persona: str = ""


GAPS: tuple[Gap, ...] = (
    Gap(
        "flowcare",
        "Two booster pumps tripped on the same weekend and nobody noticed until "
        "tenants called about low pressure.",
        "Hear about a failing pump before tenants do",
        "Every complaint costs them a goodwill credit of a few hundred",
        (15_000, 40_000),
        "early warning",
        "attach",
        "Faults caught before they stop a pump",
        note="Same value as remote monitoring; use their tenant-complaint story.",
    ),
    Gap(
        "flowcare",
        "The maintenance lead keeps a shelf of seals 'just in case' and still "
        "waits for the right one.",
        "Spare parts on hand without a warehouse of them",
        "Estimates a third of the spares shelf never moves",
        (20_000, 60_000),
        "spares",
        "attach",
        "Less capital tied up in spares",
    ),
    Gap(
        "flowcare",
        "Their insurer now asks for proof of pump inspections before renewing cover.",
        "Pass the insurer's inspection check without a paper chase",
        "Renewal premium rises 8% without records",
        (10_000, 30_000),
        "audits",
        "attach",
        "Smooth regulatory and insurance audits",
    ),
    Gap(
        "flowcare",
        "The plant buys water treatment chemicals by the drum and doses by hand; "
        "overdosing is common.",
        "Dose treatment chemicals automatically and exactly",
        "Chemical spend could drop by a fifth",
        (25_000, 80_000),
        "chemical dosing",
        "decline",
        reason="not_delivered",
        note="Dosing systems are not ours; log as an idea.",
    ),
    Gap(
        "flowcare",
        "Night shifts restart pumps after alarms without knowing why they tripped.",
        "Operators who know what an alarm means",
        "Half the night alarms end in a call-out",
        None,
        "operator skills",
        "attach",
        "Operators run pumps correctly",
    ),
    Gap(
        "flowcare",
        "Service contracts with three suppliers overlap; invoices are disputed every quarter.",
        "One accountable partner for every pump on site",
        "Two days a month lost reconciling invoices",
        (8_000, 20_000),
        "supplier consolidation",
        "attach",
        "Fewer service suppliers to manage",
    ),
    Gap(
        "flowcare",
        "The board wants pump downtime figures in the monthly ESG pack, and the "
        "data sits in spreadsheets.",
        "Downtime and energy figures ready for the board pack",
        "A controller spends three days a month assembling it",
        (12_000, 25_000),
        "reporting",
        "create",
        "Board-ready reliability reporting",
        "Audit-ready digital service records",
        leads_to="Upgrade projects backed by measured data",
        persona="CFO",
    ),
    Gap(
        "flowcare",
        "A food plant must prove no lubricant reached the product line after a repair.",
        "Show food-safety auditors every repair was clean",
        "One failed audit would halt a line for a week",
        (50_000, 150_000),
        "food safety",
        "create",
        "Food-safe maintenance proven to auditors",
        "Audit-ready digital service records",
        note="New outcome: the digital records prove each repair's clean-down.",
        leads_to="Smooth regulatory and insurance audits",
        persona="EHS manager",
    ),
    Gap(
        "flowcare",
        "Pumps on remote wells run on diesel generators; fuel runs out between visits.",
        "Know fuel levels at remote wells",
        "Each dry generator costs a day of output",
        (30_000, 90_000),
        "remote sites",
        "decline",
        reason="not_delivered",
        note="Generator telemetry is outside our offer.",
    ),
    Gap(
        "flowcare",
        "They would like cheaper service visits.",
        "Lower service price",
        "",
        None,
        "price",
        "decline",
        reason="not_a_gap",
        note="A price wish, not an outcome; coach on the value behind it.",
    ),
    Gap(
        "flowcare",
        "A newly hired reliability engineer wants a career path.",
        "Recognised reliability skills for their engineer",
        "Retention matters to them",
        None,
        "skills",
        "attach",
        "Reliability engineer gains recognised skills",
    ),
    Gap(
        "flowcare",
        "Water utilities must report leak volumes to the regulator each year and "
        "estimate most of it.",
        "Measured, not estimated, leak volumes for the regulator",
        "Fines for poor estimates have reached six figures",
        (60_000, 200_000),
        "regulation",
        "create",
        "Measured leakage reporting",
        "Remote monitoring centre staffed 24/7",
        leads_to="Smooth regulatory and insurance audits",
        persona="Operations director",
    ),
    Gap(
        "flowcare",
        "Service records are kept, but nobody can find them when a pump fails again.",
        "Repeat failures traced to their cause",
        "Same pump failed three times a year",
        (10_000, 40_000),
        "repeat failures",
        "new",
    ),
    Gap(
        "smartflow",
        "The OEM's customers complain the machines are noisy near operators.",
        "Quieter machines for the OEM's customers",
        "Losing tenders on noise limits",
        (40_000, 120_000),
        "noise",
        "create",
        "Quieter pump skids",
        "Premium-efficiency motors with variable-speed drives",
        leads_to="OEM wins more machine orders",
        persona="OEM design engineer",
    ),
    Gap(
        "smartflow",
        "A brewery wants pumps it can clean in place without taking them apart.",
        "Clean pumps in place between batches",
        "An hour of cleaning per batch",
        (30_000, 70_000),
        "hygienic design",
        "decline",
        reason="not_delivered",
        note="Hygienic pump range is not in our catalogue.",
    ),
    Gap(
        "smartflow",
        "Energy prices doubled and the plant manager is asked for a savings plan.",
        "A credible energy-saving plan for the pumps",
        "Pumps are 30% of the site's power bill",
        (50_000, 250_000),
        "energy",
        "attach",
        "Lower pump energy use",
    ),
    Gap(
        "smartflow",
        "The IT team blocked new controllers after a security scare.",
        "Controllers the IT team will approve",
        "Project stalled for four months",
        None,
        "OT security",
        "attach",
        "Lower cyber-security risk on the OT network",
    ),
    Gap(
        "smartflow",
        "An OEM wants to offer its own customers uptime contracts but cannot see "
        "the pumps in the field.",
        "Offer uptime contracts on machines in the field",
        "A new service line worth a tenth of their revenue",
        (100_000, 400_000),
        "OEM services",
        "create",
        "OEM sells uptime as a service",
        "Predictive maintenance sensors",
        leads_to="OEM wins more machine orders",
        persona="OEM general manager",
    ),
    Gap(
        "smartflow",
        "Specifying pumps takes their engineers weeks per project.",
        "Pump specifications in days, not weeks",
        "Two engineer-weeks per project",
        (10_000, 30_000),
        "project speed",
        "attach",
        "Shorter project lead time",
    ),
    Gap(
        "smartflow",
        "Water scarcity means the site must reuse process water.",
        "Reuse process water on site",
        "Water permits capped next year",
        (40_000, 150_000),
        "water reuse",
        "decline",
        reason="not_delivered",
    ),
    Gap(
        "smartflow",
        "A mining customer wants pumps that survive abrasive slurry for longer.",
        "Slurry pumps that last a full season",
        "Pumps replaced every eight weeks",
        (60_000, 180_000),
        "abrasion",
        "decline",
        reason="not_delivered",
        note="Slurry duty is outside the SmartFlow range.",
    ),
    Gap(
        "smartflow",
        "Their carbon report needs per-asset emissions; today it uses averages.",
        "Per-pump emissions in the carbon report",
        "Investors ask for asset-level data",
        None,
        "reporting",
        "attach",
        "Credible sustainability reporting",
    ),
    Gap(
        "smartflow",
        "The same wish came up again: less energy use.",
        "Lower pump energy use",
        "",
        None,
        "energy",
        "decline",
        reason="duplicate",
    ),
    Gap(
        "smartflow",
        "Startup after a shutdown takes a full shift because pumps are primed by hand.",
        "Restart the line within an hour",
        "A shift of output each restart",
        (20_000, 60_000),
        "restart",
        "new",
    ),
    Gap(
        "smartflow",
        "They want 'something smarter'.",
        "Smarter pumps",
        "",
        None,
        "vague",
        "decline",
        reason="too_vague",
        note="Ask what smarter would change for them.",
    ),
    Gap(
        "smartflow",
        "Operators cannot see pump status from the control room on older lines.",
        "Pump status in the control room on every line",
        "Walk-rounds take two hours a shift",
        (15_000, 45_000),
        "visibility",
        "new",
    ),
)
