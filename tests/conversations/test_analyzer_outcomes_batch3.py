"""Our batch 3 of paraphrased outcome mentions (in no labelled set) for the demo value
networks: written down before it was run, scored once, and only then used to widen the concept
families in `analyzer_concepts` (first-run figures in `docs/conversation-analyzer.md`).
Rows: (network, labelled outcome or "none", sentence)."""

from __future__ import annotations

F, S, N = "flowcare", "smartflow", "none"

BATCH_3 = (
    (
        F,
        "Less unplanned downtime",
        "On the tank farm a transfer pump threw a bearing on Friday and nothing moved until "
        "Monday.",
    ),
    (
        F,
        "Lower energy cost",
        "Their kilowatt-hours for pumping went up by a third since the new tariff.",
    ),
    (
        F,
        "Faults caught before they stop a pump",
        "The control room had no clue the pump was in trouble until it tripped the whole unit.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "The mechanic drove out, found the wrong gasket in the van, and had to come back the "
        "next day.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "Their spares cage holds about two hundred thousand euros of parts for pumps they "
        "might never need.",
    ),
    (
        F,
        "Operators run pumps correctly",
        "Shift crews keep starting the pumps with the discharge valve shut.",
    ),
    (
        F,
        "Predictable maintenance budget",
        "Maintenance overran its budget by forty percent because of two big pump wrecks.",
    ),
    (
        F,
        "Fewer service suppliers to manage",
        "Every pump brand on site comes with its own service company and its own contract.",
    ),
    (
        F,
        "Fewer repeat failures after repair",
        "The circulation pump they fixed in March was back in the workshop by May with the "
        "same problem.",
    ),
    (
        F,
        "Audit-ready maintenance records",
        "The fire inspector wanted to see test records for the fire pumps and they had "
        "nothing on file.",
    ),
    (
        F,
        "Continuous reliability improvement",
        "Their failure rate on the boiler pumps is the same as it was ten years ago.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "They have no benchmark for how often their pumps should fail.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "Nobody on the night shift knows how to align a pump coupling.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "Work orders are written after the breakdown, never before.",
    ),
    (
        F,
        "Safer pump maintenance",
        "A contractor got splashed with hot condensate while opening a pump in a hurry.",
    ),
    (
        F,
        "Reliable supply to our own customers",
        "The bakery's trucks left half empty because the line was down.",
    ),
    (
        F,
        "Lower maintenance cost",
        "Callout charges and weekend overtime make up a big slice of their maintenance spend.",
    ),
    (
        F,
        "Lower carbon emissions",
        "The utility has to report its scope 2 footprint to the regulator next year.",
    ),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "His phone rings at three in the morning whenever a booster station stops.",
    ),
    (
        F,
        "Peace of mind for the plant manager",
        "The GM says he doesn't want to be the last to hear when something goes wrong with "
        "the pumps.",
    ),
    (
        F,
        "More saleable output",
        "Every hour the filler stands still is about four thousand bottles they don't sell.",
    ),
    (
        F,
        "Downtime risk shared with the supplier",
        "The CFO wants a contract where the service company pays when the pumps let them down.",
    ),
    (
        F,
        "Reliability engineer gains recognised skills",
        "Their reliability engineer wants to get certified in vibration analysis.",
    ),
    (F, N, "The plant manager showed us the new canteen."),
    (F, N, "They asked us to send the slides after the call."),
    (F, N, "The pump station is two kilometres from the main site."),
    (F, N, "Their maintenance manager has been there for twenty years."),
    (
        S,
        "Early warning of developing pump faults",
        "The wastewater pumps started making a rattling sound a month before the impeller broke.",
    ),
    (
        S,
        "Lower pump energy use",
        "The chilled water pumps run at full speed around the clock with a bypass valve "
        "dumping the excess.",
    ),
    (
        S,
        "Faster seal changes",
        "Changing a leaking seal means the fitter has to strip the whole pump.",
    ),
    (
        S,
        "Pumps sized to run near best efficiency",
        "The consultant's pump selection left them with pumps running way off their design point.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "The historian doesn't see any of the pump data; someone reads the gauges by hand.",
    ),
    (
        S,
        "Lower cyber-security risk on the OT network",
        "The refinery's IT security team blocks anything that talks over the plant network.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "They'd rather rebuild their old pumps than buy new ones every few years.",
    ),
    (
        S,
        "Shorter project lead time",
        "The customer needs the pumps on site in three weeks or the expansion slips into next"
        " season.",
    ),
    (
        S,
        "Faster machine build for OEMs",
        "The packaging machine maker wants a pump unit they can just bolt on and plumb in.",
    ),
    (
        S,
        "Trouble-free start-up",
        "At the new hospital the pumps needed four visits before they ran without alarms.",
    ),
    (
        S,
        "Smaller spare-parts inventory",
        "Their stores hold different bearings and seals for every pump size they own.",
    ),
    (
        S,
        "Fewer leaks and spills",
        "There's a brown crust of dried chemical around every dosing pump gland.",
    ),
    (
        S,
        "Easier regulatory compliance",
        "The council's environmental officer is threatening to close the site over discharges.",
    ),
    (
        S,
        "Lower total cost of ownership",
        "Over twenty years the power and repairs dwarf what they paid for the pump.",
    ),
    (
        S,
        "OEM reputation for reliable machines",
        "The OEM's machines have a name for breaking down in the first year.",
    ),
    (
        S,
        "OEM wins more machine orders",
        "The machine builder lost two big orders to a competitor with quicker delivery.",
    ),
    (
        S,
        "Credit for delivering the project on time",
        "The engineer who specified the pumps wants the project handed over on schedule so it"
        " reflects well on him.",
    ),
    (
        S,
        "Energy manager hits savings goal",
        "The energy manager needs another 200 megawatt-hours of savings to hit her goal.",
    ),
    (
        S,
        "More time for improvement work",
        "The maintenance crew spends all day reacting to breakdowns and never gets to the "
        "improvement list.",
    ),
    (S, N, "The pump skids were painted blue to match the company colours."),
    (S, N, "We called the site manager about parking."),
    (S, N, "Their head office is in Rotterdam."),
    (S, N, "The control system was upgraded last summer."),
)
