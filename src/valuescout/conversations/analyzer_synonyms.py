"""Stop words and the domain synonym table for outcome matching (see `analyzer_outcomes`).

Synonyms map a word (or its stem) to one shared term, so "outage", "stoppage" and "downtime"
meet. The table is small and about pumps, plants and their money; it is not a thesaurus.
"""

from __future__ import annotations

_STOP_TEXT = """
quarter quarters hour hours minute minutes
nobody anybody everybody gone wants wanted talk talked talking meeting
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can can't cannot could did didn't do does doesn't
doing don't down during each few for from further get gets got had has have having he her
here hers him his how i if in into is isn't it it's its itself just let's me might more
most much must my no nor not now of off on once only or other our ours out over own per
really same she should so some such than that the their theirs them then there these they
this those through to too under until up us very was we were what when where which while
who whom why will with would you your yours yes ok okay well one two three four five six
lot lots thing things like said say says told tell think thought know want need going go
goes went make makes made take took see seen look every also still ever even less lower
fewer higher greater better bigger smaller faster shorter longer reduce reduced reduction
cut cutting increase improve improved improvement instead without within around year years
month months week weeks day days time times today currently right now last next new old
big small many kind really probably maybe quite pretty actually basically anyway us we'd
we'll we're we've they're they've you're you've i'm i've i'd someone something mr mrs ms
customer's site's plant's whole instead able keep kept first
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# each term: the words (space-separated) that fold into it
_GROUPS: dict[str, str] = {
    "downtime": (
        "downtime outage outages stoppage stoppages standstill unplanned idle offline "
        "unscheduled unexpected unexpectedly halt halts halted shutdown shutdowns uptime "
        "availability interruption interruptions"
    ),
    "cost": (
        "cost costs spend spending spent expense expenses expensive expenditure bill "
        "bills money euros dollars pay paying paid"
    ),
    "energy": "energy electricity electric power kwh mwh kilowatt",
    "failure": (
        "failure failures fail fails failed breakdown breakdowns broke break breaks trip "
        "trips tripped tripping"
    ),
    "detect": (
        "detect detected detection spot spotted catch caught flag flagged alert alerts "
        "warn warning warnings predict predictive early advance monitoring monitored"
    ),
    "repair": "repair repairs repaired fix fixed fixes mend mttr overhaul overhauls overhauled",
    "maintenance": "maintenance maintain maintaining upkeep servicing",
    "inventory": "inventory stock stocks storeroom stores shelf shelves warehouse spares spare",
    "supplier": "supplier suppliers vendor vendors contractor contractors provider providers",
    "safety": (
        "safety safe safer injury injuries accident accidents incident incidents hurt lti "
        "recordable injured injure"
    ),
    "audit": (
        "audit audits inspection inspections inspector inspectors auditor auditors "
        "insurer insurers insurance"
    ),
    "emission": "emission emissions carbon co2 co2e greenhouse footprint scope",
    "sustainab": "sustainability sustainable climate esg green net decarbonisation decarbonization",
    "margin": "margin margins profit profits profitability ebit ebitda earnings bottom",
    "output": "output production throughput capacity tonnage saleable",
    "deliver": "deliver delivery deliveries shipment shipments ship otif orders",
    "predictable": (
        "predictable surprise surprises swing swings volatile variance deviation "
        "unpredictable overrun overruns"
    ),
    "plan": "plan planned planning schedule scheduled proactive",
    "reactive": "reactive firefight firefighting emergency emergencies rush scramble panic",
    "night": "night nights weekend weekends callout callouts woken wake bed midnight 3am 2am",
    "leak": "leak leaks leaking leakage spill spills drip dripping",
    "cyber": "cyber security hack hacked hacker ransomware firewall",
    "integrat": "integrate integration integrated dcs scada gateway gateways historian plc",
    "startup": "startup commission commissioning commissioned",
    "life": "life lifetime lifespan longevity mtbf",
    "lifecycle": "lifecycle tco ownership",
    "skill": (
        "skill skills training train trained competence certification certifications expertise "
        "certified course courses"
    ),
    "efficien": "efficiency efficient bep inefficient",
    "size": "size sized sizing oversize oversized undersized",
    "regulat": (
        "regulatory regulation regulations regulator compliance compliant permit permits "
        "authority authorities fine fines"
    ),
    "peer": "peer peers benchmark benchmarks compare compared comparison",
    "approv": "approve approval approved signoff sign authorise authorize",
    "repeat": "repeat repeated recurring recur recurs again chronic",
    "reputation": "reputation dependable reputable",
    "oem": "oem oems builder builders",
    "guarantee": "guarantee guarantees guaranteed warranty warranties",
}

SYNONYMS: dict[str, str] = {word: term for term, words in _GROUPS.items() for word in words.split()}
