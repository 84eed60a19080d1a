"""Our batch 2 of paraphrased outcome mentions (in no labelled set) for the demo value
networks: written down before it was run, scored once, and only then used to widen the concept
families in `analyzer_concepts` (first-run figures in `docs/conversation-analyzer.md`).
Rows: (network, labelled outcome or "none", sentence)."""

from __future__ import annotations

F, S, N = "flowcare", "smartflow", "none"

BATCH_2 = (
    (
        F,
        "Less unplanned downtime",
        "In the sugar refinery a boiler feed pump packed in during the campaign and they lost"
        " two days of crushing.",
    ),
    (
        F,
        "Lower energy cost",
        "Electricity for the pumping stations is now their biggest line item after wages.",
    ),
    (
        F,
        "Faults caught before they stop a pump",
        "The vibration guy only finds out a bearing is gone when the operators complain about"
        " the noise.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "Every time a pump conks out, the spare has to be flown in and it takes a week.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "They've got a storeroom full of impellers and seals that nobody has touched in "
        "years, worth a fortune.",
    ),
    (
        F,
        "Operators run pumps correctly",
        "Half the pump failures last year came from operators starting them dry.",
    ),
    (
        F,
        "Predictable maintenance budget",
        "Each budget round the maintenance number is a guess because one big breakdown blows it.",
    ),
    (
        F,
        "Fewer service suppliers to manage",
        "They deal with five separate service contracts, one per pump brand.",
    ),
    (
        F,
        "Fewer repeat failures after repair",
        "The same seal on the condensate pump keeps going after every rebuild.",
    ),
    (
        F,
        "Audit-ready maintenance records",
        "When the auditor comes they can't find the service history of half the pumps.",
    ),
    (
        F,
        "Continuous reliability improvement",
        "Their MTBF on the cooling water pumps hasn't moved in five years.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "They've no idea whether their pump reliability is good or bad compared to similar "
        "refineries.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "Their own fitters can't troubleshoot the newer pumps and always ring the OEM.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "Almost all pump jobs are done in a panic after something has already broken.",
    ),
    (
        F,
        "Safer pump maintenance",
        "Two near misses this year happened during emergency pump repairs.",
    ),
    (
        F,
        "Reliable supply to our own customers",
        "The chemical company lost a key contract when they shorted the customer three times.",
    ),
    (
        F,
        "Lower maintenance cost",
        "Overtime for the maintenance crew and express freight for parts eat up their budget.",
    ),
    (
        F,
        "Lower carbon emissions",
        "The board wants to see how much CO2 the site will knock off by 2030.",
    ),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "He is the one who has to drive in on a Sunday night when the sewage lift station alarms.",
    ),
    (
        F,
        "Peace of mind for the plant manager",
        "The ops manager hates not knowing what's happening with the pumps when she's away at"
        " the weekend.",
    ),
    (F, "More saleable output", "Every lost hour on the line is product they can't sell."),
    (
        F,
        "Downtime risk shared with the supplier",
        "They want the service provider to carry some of the penalty when a pump outage hits "
        "production.",
    ),
    (
        F,
        "Less time chasing service suppliers",
        "The procurement guy spends his Fridays sorting invoices and disputes with pump repairers.",
    ),
    (F, N, "We had coffee with the plant manager before the tour."),
    (F, N, "The pump house roof was being repaired when we visited."),
    (F, N, "Call scheduled for next Tuesday with the site team."),
    (F, N, "They make cardboard packaging for the food industry."),
    (
        S,
        "Early warning of developing pump faults",
        "The sludge pumps shake themselves to bits and nobody knows until they stop.",
    ),
    (
        S,
        "Lower pump energy use",
        "The irrigation pumps run flat out all day even when the fields need half the water.",
    ),
    (
        S,
        "Faster seal changes",
        "Swapping a seal on the glycol pumps is a full day with the pump on the bench.",
    ),
    (
        S,
        "Pumps sized to run near best efficiency",
        "Most of their booster pumps were bought two sizes too big, just to be safe.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "Getting the flow and vibration numbers into their SCADA took a contractor six weeks "
        "of coding.",
    ),
    (
        S,
        "Lower cyber-security risk on the OT network",
        "Their security officer worries that a connected pump could be a way in for hackers.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "They scrap pumps at eight years that could be rebuilt for another ten.",
    ),
    (
        S,
        "Shorter project lead time",
        "The new bottling hall opening slipped three months waiting on pump deliveries.",
    ),
    (
        S,
        "Faster machine build for OEMs",
        "The skid builder spends days designing and welding pipework around every pump.",
    ),
    (
        S,
        "Trouble-free start-up",
        "At the last commissioning the pumps cavitated and the fitters had to come back twice.",
    ),
    (
        S,
        "Smaller spare-parts inventory",
        "They carry a different set of spares for almost every pump model in the mine.",
    ),
    (
        S,
        "Fewer leaks and spills",
        "Caustic keeps weeping from the seals onto the floor of the CIP room.",
    ),
    (S, "Safer maintenance work", "A fitter slipped on a wet floor while working on an open pump."),
    (
        S,
        "Easier regulatory compliance",
        "The regulator fined them last year after chemical got into the storm drain.",
    ),
    (
        S,
        "Lower total cost of ownership",
        "Their lifetime cost analysis shows energy is 80 percent of what a pump costs them.",
    ),
    (
        S,
        "OEM reputation for reliable machines",
        "The OEM's end users keep complaining that its machines break down.",
    ),
    (
        S,
        "A purchase nobody second-guesses",
        "The buyer needs to be able to justify the pump choice to auditors years from now.",
    ),
    (
        S,
        "Energy manager hits savings goal",
        "The energy manager is three quarters short of her kWh target with one month to go.",
    ),
    (
        S,
        "More time for improvement work",
        "The reliability team never gets time for root-cause work because of breakdown after "
        "breakdown.",
    ),
    (S, N, "The pump room is in the basement below the control room."),
    (S, N, "We'll call back once the plant manager is back from holiday."),
    (S, N, "Their system of shift handovers is on paper."),
    (S, N, "The smartflow demo went well and they liked the app."),
)
