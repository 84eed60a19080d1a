"""Our batch 4 of paraphrased outcome mentions (in no labelled set) for the demo value
networks: written down before it was run, scored once, and only then used to widen the concept
families in `analyzer_concepts` (first-run figures in `docs/conversation-analyzer.md`).
Rows: (network, labelled outcome or "none", sentence)."""

from __future__ import annotations

F, S, N = "flowcare", "smartflow", "none"

BATCH_4 = (
    (
        F,
        "Less unplanned downtime",
        "The district heating network lost pressure for six hours when a circulation pump's "
        "motor burnt out.",
    ),
    (
        F,
        "Lower energy cost",
        "Pumping accounts for roughly a fifth of what they pay the utility each month.",
    ),
    (
        F,
        "Faults caught before they stop a pump",
        "Their vibration readings are taken by hand once a quarter, so problems show up as a "
        "dead pump.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "Last month the fitter arrived without the mechanical seal and the job slipped two days.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "Finance is asking why there are three identical spare motors gathering dust in the "
        "stores.",
    ),
    (
        F,
        "Operators run pumps correctly",
        "New operators throttle the pumps on the suction side because nobody showed them "
        "otherwise.",
    ),
    (
        F,
        "Predictable maintenance budget",
        "They never know at the start of the year what the pump repairs will add up to.",
    ),
    (
        F,
        "Fewer service suppliers to manage",
        "Purchasing would rather have one number to call for every pump on the site.",
    ),
    (
        F,
        "Fewer repeat failures after repair",
        "The clarifier pump has been back to the repair shop four times for the same seal.",
    ),
    (
        F,
        "Audit-ready maintenance records",
        "Their maintenance logs are in three different systems and half of them are handwritten.",
    ),
    (
        F,
        "Continuous reliability improvement",
        "The same handful of pumps cause most of their breakdowns and nothing has been done "
        "about them.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "They want to know whether other cement works get more hours out of their slurry pumps.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "Their technicians have only ever swapped parts and can't work out why a pump is failing.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "Nothing on the pumps is scheduled; the crew just reacts to whatever alarm went off.",
    ),
    (F, "Safer pump maintenance", "A mechanic lost a fingertip on a pump coupling last year."),
    (
        F,
        "Reliable supply to our own customers",
        "The pharma plant had to tell a hospital customer its order would be two weeks late.",
    ),
    (
        F,
        "Lower maintenance cost",
        "Emergency freight for pump parts cost them more than the parts themselves last year.",
    ),
    (
        F,
        "Lower carbon emissions",
        "Their customers are starting to ask for the carbon footprint of every tonne they ship.",
    ),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "The reliability lead got dragged out of bed four times in January by pump alarms.",
    ),
    (
        F,
        "Peace of mind for the plant manager",
        "The site director wants the plant to run without him having to check in on weekends.",
    ),
    (
        F,
        "More saleable output",
        "A stopped kiln feed means about eighty tonnes of clinker they can't sell per hour.",
    ),
    (
        F,
        "Downtime risk shared with the supplier",
        "They want the supplier to put money on the table if availability drops below target.",
    ),
    (
        F,
        "Looks good in front of the plant director",
        "The plant manager wants numbers he can show the managing director without excuses.",
    ),
    (F, N, "The plant manager is on holiday until the fifteenth."),
    (F, N, "Someone from the pump house will meet us at reception."),
    (F, N, "They produce about 900,000 tonnes of cement a year."),
    (F, N, "The call dropped twice because of poor reception."),
    (
        S,
        "Early warning of developing pump faults",
        "The bearing temperature creeps up for weeks before the pump gives up, and nobody is "
        "watching the trend.",
    ),
    (
        S,
        "Lower pump energy use",
        "The pumps push water round at full flow even at night when demand is tiny.",
    ),
    (S, "Faster seal changes", "A seal job on the stock pumps means craning the pump out."),
    (
        S,
        "Pumps sized to run near best efficiency",
        "The original designer put in pumps for a future expansion that never happened.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "The operators can't see pump health on the DCS, only running or stopped.",
    ),
    (
        S,
        "No surprises in the security audit",
        "The security auditor flagged the remote access modem on the pump panel.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "They'd like pumps that keep going for twenty years with the odd rebuild.",
    ),
    (
        S,
        "Shorter project lead time",
        "The new dryer line can't start until the pumps turn up, and the supplier quotes "
        "fourteen weeks.",
    ),
    (
        S,
        "Faster machine build for OEMs",
        "The OEM's fitters spend two days building each pump module on the frame.",
    ),
    (
        S,
        "Trouble-free start-up",
        "On the last three projects the pumps needed re-commissioning after the handover.",
    ),
    (
        S,
        "Smaller spare-parts inventory",
        "Every pump size in the fleet has its own bearings, so the stores are huge.",
    ),
    (S, "Fewer leaks and spills", "There's always a puddle of glycol under the chiller pumps."),
    (
        S,
        "Easier regulatory compliance",
        "The water company's abstraction licence is up for review and they had two spills "
        "this year.",
    ),
    (
        S,
        "Lower total cost of ownership",
        "The procurement team only looks at purchase price and ignores what the pumps cost to run.",
    ),
    (
        S,
        "OEM reputation for reliable machines",
        "End users tell the OEM its machines are the ones that never let them down.",
    ),
    (
        S,
        "OEM wins more machine orders",
        "The OEM keeps losing business because its machines take twelve weeks to build.",
    ),
    (
        S,
        "A purchase nobody second-guesses",
        "The buyer was burned once by a cheap pump brand and now only picks names he can defend.",
    ),
    (
        S,
        "Energy manager hits savings goal",
        "The energy manager's bonus depends on hitting a five percent saving.",
    ),
    (
        S,
        "More time for improvement work",
        "Half the maintenance team's week is emergencies, so the reliability projects never start.",
    ),
    (S, N, "The network cabinet is in the basement."),
    (S, N, "I'll send a follow-up email to the site team."),
    (S, N, "They're also looking at conveyors from a different supplier."),
    (S, N, "The meeting room had a view of the pump house."),
)
