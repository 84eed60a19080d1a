"""The demo company's commercial world as data: products, territories, industries, customers'
people and the words deals are described with. No logic, no database."""

from __future__ import annotations

from dataclasses import dataclass

# People: the company's staff and its customers' buying teams.
FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Daniel",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kavya",
    "Liam",
    "Maya",
    "Nikolai",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Anke",
    "Bruno",
    "Carmen",
    "Dev",
    "Emeka",
    "Freya",
    "Gustavo",
    "Hana",
    "Ivan",
    "Julia",
    "Kenji",
    "Lucia",
    "Mateo",
    "Nora",
    "Priya",
    "Rahul",
    "Sofia",
    "Tomas",
]
LAST_NAMES = [
    "Andersen",
    "Baptiste",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Udeh",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Murphy",
    "Novak",
    "Patel",
    "Santos",
    "Kim",
    "Lindqvist",
    "Mensah",
    "Ortiz",
]


@dataclass(frozen=True, slots=True)
class ProductSpec:
    name: str
    family: str
    list_price: int  # USD per unit
    unit_cost: int
    role: str  # how deals use it: system | skid | kit | commissioning | contract | audit | training


# Products per value network (by the network's name), priced per unit in USD.
PRODUCTS: dict[str, list[ProductSpec]] = {
    "SmartFlow connected pump systems": [
        ProductSpec("SmartFlow SF-50 pump system", "SmartFlow systems", 18_500, 10_400, "system"),
        ProductSpec("SmartFlow SF-200 pump system", "SmartFlow systems", 46_000, 25_300, "system"),
        ProductSpec(
            "SmartFlow SF-800 high-flow pump system", "SmartFlow systems", 128_000, 72_900, "system"
        ),
        ProductSpec("SmartFlow OEM skid package", "SmartFlow systems", 31_500, 19_200, "skid"),
        ProductSpec("SmartFlow sensor retrofit kit", "SmartFlow options", 2_400, 980, "kit"),
        ProductSpec(
            "SmartFlow commissioning by factory technicians",
            "SmartFlow services",
            3_800,
            2_150,
            "commissioning",
        ),
    ],
    "FlowCare uptime service": [
        ProductSpec(
            "FlowCare Essential, per pump-year", "FlowCare contracts", 1_150, 610, "contract"
        ),
        ProductSpec(
            "FlowCare Performance, per pump-year", "FlowCare contracts", 2_350, 1_180, "contract"
        ),
        ProductSpec("FlowCare energy audit, per site", "FlowCare services", 14_000, 6_900, "audit"),
        ProductSpec(
            "FlowCare operator and technician course", "FlowCare services", 5_200, 2_450, "training"
        ),
    ],
}
FLOWCARE_TERM_YEARS = 3  # contract lines are sold in pump-years over the term
SMARTFLOW_HORIZON_YEARS = 5  # value cases for equipment count five years of outcomes

# (country, territory) per region; the first ones are the larger markets.
TERRITORIES: dict[str, list[tuple[str, str]]] = {
    "North America": [
        ("United States", "US Northeast"),
        ("United States", "US Midwest"),
        ("United States", "US South"),
        ("United States", "US West"),
        ("Canada", "Canada"),
        ("Mexico", "Mexico"),
    ],
    "EMEA": [
        ("Germany", "DACH"),
        ("Switzerland", "DACH"),
        ("Austria", "DACH"),
        ("United Kingdom", "UK & Ireland"),
        ("Ireland", "UK & Ireland"),
        ("France", "France & Benelux"),
        ("Netherlands", "France & Benelux"),
        ("Belgium", "France & Benelux"),
        ("Sweden", "Nordics"),
        ("Norway", "Nordics"),
        ("Denmark", "Nordics"),
        ("Italy", "Southern Europe"),
        ("Spain", "Southern Europe"),
        ("Poland", "Central & Eastern Europe"),
        ("United Arab Emirates", "Middle East"),
        ("Saudi Arabia", "Middle East"),
    ],
    "Asia Pacific": [
        ("Australia", "ANZ"),
        ("New Zealand", "ANZ"),
        ("Japan", "Japan"),
        ("South Korea", "Korea"),
        ("Singapore", "Southeast Asia"),
        ("Malaysia", "Southeast Asia"),
        ("Thailand", "Southeast Asia"),
        ("India", "India"),
        ("China", "Greater China"),
        ("Taiwan", "Greater China"),
    ],
}
LEGAL_FORMS = {
    "North America": ["Inc.", "Corp.", "LLC", "Co."],
    "EMEA": ["GmbH", "AG", "Ltd", "SA", "BV", "AB", "S.p.A."],
    "Asia Pacific": ["Pty Ltd", "Co., Ltd.", "Pte Ltd", "K.K.", "Ltd"],
}

# industry -> words its company names end in
INDUSTRIES: dict[str, list[str]] = {
    "Chemicals": ["Chemicals", "Chemical Works", "Specialty Chemicals", "Polymers"],
    "Water & wastewater": ["Water", "Water Authority", "Water Services", "Utilities"],
    "Food & beverage": ["Foods", "Dairy", "Breweries", "Beverages"],
    "Pharmaceuticals": ["Pharma", "Biologics", "Life Sciences"],
    "Oil & gas": ["Energy", "Midstream", "Refining"],
    "Power generation": ["Power", "Generation", "Power & Steam"],
    "Pulp & paper": ["Paper", "Pulp & Paper", "Packaging"],
    "Mining & metals": ["Mining", "Metals", "Minerals"],
    "Machine builders (OEM)": ["Machinery", "Process Systems", "Engineering"],
    "HVAC & buildings": ["Building Services", "Climate Systems", "Facilities"],
}
# Which industries each sales team mostly calls on (None: all of them).
TEAM_FOCUS: dict[str, list[str] | None] = {
    "NA Enterprise": None,
    "NA Industrial Mid-Market": [
        "Food & beverage",
        "Chemicals",
        "Pulp & paper",
        "Mining & metals",
        "HVAC & buildings",
    ],
    "EMEA Process Industries": [
        "Chemicals",
        "Pharmaceuticals",
        "Food & beverage",
        "Oil & gas",
        "Pulp & paper",
    ],
    "EMEA Water & Utilities": ["Water & wastewater", "Power generation"],
    "APAC Enterprise": None,
    "APAC Channel & OEM": ["Machine builders (OEM)", "HVAC & buildings"],
}
# segment mix per team: (enterprise, mid-market, small business)
TEAM_SEGMENTS: dict[str, tuple[float, float, float]] = {
    "NA Enterprise": (0.75, 0.25, 0.0),
    "NA Industrial Mid-Market": (0.0, 0.7, 0.3),
    "EMEA Process Industries": (0.4, 0.45, 0.15),
    "EMEA Water & Utilities": (0.35, 0.5, 0.15),
    "APAC Enterprise": (0.7, 0.3, 0.0),
    "APAC Channel & OEM": (0.1, 0.5, 0.4),
}
NAME_STEMS = [
    "Northwind", "Bluewater", "Redstone", "Silverlake", "Ironbridge", "Granite Peak", "Cedar",
    "Harbor", "Summit", "Pinecrest", "Riverbend", "Oakridge", "Falcon", "Meridian", "Aurora",
    "Crescent", "Evergreen", "Lakeside", "Highland", "Westport", "Eastgate", "Stonebrook",
    "Clearwater", "Brightwater", "Coldspring", "Deepwell", "Fairhaven", "Goldfield", "Juniper",
    "Kingsford", "Larkspur", "Millbrook", "Norfield", "Orchard", "Prairie", "Quarry Hill",
    "Rosewood", "Saltmarsh", "Tidewater", "Upland", "Valleyview", "Willowmere", "Zephyr",
    "Alder", "Birchwood", "Copperfield", "Driftwood", "Elmstead", "Glenmore", "Hawthorn",
    "Ironwood", "Lindenhof", "Marlow", "Nordhavn", "Osprey", "Pelican", "Sandhurst",
    "Thornbury", "Vantage", "Wolfsburg Valley", "Yarrow", "Baltic", "Cascade", "Delta",
    "Horizon", "Keystone", "Lighthouse", "Mistral", "Pacific Rim", "Sunridge", "Twin Rivers",
]  # fmt: skip
PARENT_GROUPS = [
    "Meridian Holdings", "Atlas Industrial Group", "Nordic Process Group",
    "Pacific Utilities Group", "Continental Chemicals Group", "Harbor Capital Partners",
]  # fmt: skip

# The buying team: persona names from the value networks -> the roles they usually play.
PERSONA_ROLES: dict[str, list[str]] = {
    "Plant manager": ["economic_buyer", "champion", "influencer"],
    "Maintenance manager": ["champion", "user", "influencer"],
    "CFO": ["economic_buyer", "economic_buyer", "blocker"],
    "Procurement lead": ["influencer", "blocker", "influencer"],
    "Energy manager": ["influencer", "champion", "user"],
    "EHS manager": ["influencer", "user"],
    "Operations director": ["economic_buyer", "influencer"],
    "Reliability engineer": ["user", "champion", "influencer"],
    "Automation and OT security lead": ["influencer", "blocker", "user"],
    "OEM design engineer": ["user", "champion", "influencer"],
    "OEM general manager": ["economic_buyer", "champion"],
}
CONTACT_TITLE_PREFIX = ["", "", "Senior ", "Lead "]
SENIOR_TITLES = {"Maintenance manager", "Reliability engineer", "Energy manager", "EHS manager"}

# What a deal is about, per offer and deal type; {n} is the main quantity.
PLANT_AREAS = [
    "cooling water loop", "raw water intake", "boiler feed line", "reactor feed", "CIP return line",
    "effluent treatment plant", "dosing skid", "chilled water system", "filtration stage",
    "transfer pumps", "booster station", "slurry line", "condensate return", "fire water ring main",
]  # fmt: skip
DEAL_TEMPLATES: dict[tuple[str, str], list[str]] = {
    ("product", "new"): [
        "SmartFlow upgrade of the {area}",
        "{n} SmartFlow systems for the {area}",
        "Replace ageing pumps on the {area}",
    ],
    ("product", "expansion"): [
        "{n} more SmartFlow systems for the {area}",
        "SmartFlow roll-out to the {area}",
    ],
    ("product", "renewal"): ["SmartFlow spares agreement renewal"],
    ("service", "new"): [
        "FlowCare contract for {n} pumps",
        "FlowCare uptime service, {n} pumps",
        "Pump fleet service outsourcing ({n} pumps)",
    ],
    ("service", "expansion"): [
        "FlowCare extension to {n} more pumps",
        "FlowCare upgrade to Performance, {n} pumps",
    ],
    ("service", "renewal"): ["FlowCare renewal, {n} pumps", "FlowCare contract renewal"],
}
OEM_TEMPLATES = ["SmartFlow skids for the {area} product line", "{n} OEM skids per year"]

# The next-best alternative besides the networks' competitors, per offer kind.
DIY_ALTERNATIVE = {
    "product": "In-house design with standard catalogue pumps",
    "service": "In-house maintenance team",
}
STATUS_QUO_ALTERNATIVE = {
    "product": "Keep running the existing pumps",
    "service": "Time-and-materials repairs as today",
}

# Negative differentiation: where the alternative is better for the customer.
# (name, one-time?, share of the deal's positive value)
AGAINST_OUTCOMES: dict[str, list[tuple[str, bool]]] = {
    "product": [
        ("Switching cost: retraining operators and technicians", True),
        ("Re-piping for the new pump footprint", True),
        ("Loss of the incumbent's volume rebate", False),
        ("Two sets of spare parts during the transition", False),
    ],
    "service": [
        ("Termination fee on the current service contract", True),
        ("Transition months with two service providers", True),
        ("Less flexibility than time-and-materials work", False),
    ],
}
EVIDENCE_SOURCES: dict[str, list[str]] = {
    "hypothesised": ["Value network hypothesis", "Industry benchmark", ""],
    "discussed": ["Discovery call with {contact}", "First meeting with {contact}"],
    "envisioned": ["Workshop with {contact}", "Site walk-through with {contact}"],
    "quantified": [
        "Customer maintenance log",
        "Energy audit measurements",
        "Site data shared by {contact}",
        "Downtime records from the plant historian",
    ],
    "confirmed": ["Confirmed in writing by {contact}", "Signed-off business case ({contact})"],
}
INTERNAL_NOTES = [
    "",
    "",
    "Economic buyer not met yet.",
    "Champion is strong; procurement will push on price.",
    "Incumbent offered a discount last week.",
    "Customer asked for references at a similar site.",
    "Budget approved for this fiscal year.",
]
# A competitor's price as a share of our list price for the same scope.
COMPETITOR_PRICE = {"Hydrix Pumps": (0.92, 1.08), "ValuFlo Industrial": (0.6, 0.78)}
