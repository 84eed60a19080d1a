"""Our batch 5 of paraphrased outcome mentions (in no labelled set), in the customer's own
voice, for the demo value networks: written down before it was run, scored once on the final
rules, and only then used to widen the concept families in `analyzer_concepts` (first-run
figures in `docs/conversation-analyzer.md`). Rows: (network, labelled outcome or "none",
sentence)."""

from __future__ import annotations

F, S, N = "flowcare", "smartflow", "none"

BATCH_5 = (
    (
        F,
        "Less unplanned downtime",
        "Honestly, when the big raw water pump packs up, the whole works just stops.",
    ),
    (F, "Lower energy cost", "Our electricity invoice for the pump hall is frightening."),
    (
        F,
        "Faults caught before they stop a pump",
        "We only find out something's wrong when it's already smoking.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "Half the time the engineer turns up and the part's on back order.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "We've got a cage full of spare pumps we've never once used.",
    ),
    (
        F,
        "Operators run pumps correctly",
        "Our lads run them dry more often than I'd like to admit.",
    ),
    (F, "Predictable maintenance budget", "My maintenance budget is blown by June every year."),
    (
        F,
        "Fewer service suppliers to manage",
        "I've got six different companies coming in to look after pumps.",
    ),
    (F, "Fewer repeat failures after repair", "We fix it, it breaks, we fix it again."),
    (
        F,
        "Audit-ready maintenance records",
        "When the HSE inspector came we couldn't show when the fire pump was last serviced.",
    ),
    (
        F,
        "Continuous reliability improvement",
        "We're no more reliable than we were five years ago.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "I'd love to know if we're better or worse than the other sites in the group.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "My guys are good but they've never been trained on these newer pumps.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "We're always chasing our tails with breakdowns.",
    ),
    (F, "Safer pump maintenance", "We had a lad badly burned by hot water off a pump last winter."),
    (
        F,
        "Reliable supply to our own customers",
        "If we can't fill the tankers, our customers go elsewhere.",
    ),
    (F, "Lower maintenance cost", "Our maintenance spend has doubled in three years."),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "I get phoned every other weekend because a sump pump has tripped.",
    ),
    (
        F,
        "Peace of mind for the plant manager",
        "I just want to go on holiday without worrying about the pumps.",
    ),
    (
        F,
        "Downtime risk shared with the supplier",
        "We want the contractor to share the pain when things go down.",
    ),
    (F, N, "I'm the plant manager here, been here eleven years."),
    (F, N, "Can you call me back after four?"),
    (F, N, "The pump house needs a coat of paint."),
    (
        S,
        "Early warning of developing pump faults",
        "We only know a pump's going when it starts screaming.",
    ),
    (
        S,
        "Lower pump energy use",
        "Our pumps are flat out all the time and the valves do the controlling.",
    ),
    (S, "Faster seal changes", "A seal swap takes my fitters the best part of a day."),
    (
        S,
        "Pumps sized to run near best efficiency",
        "We bought them far too big, everyone knows it.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "I want to see the pump health on my SCADA screens without paying an integrator.",
    ),
    (
        S,
        "Lower cyber-security risk on the OT network",
        "Our IT people won't allow anything on the network they haven't vetted.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "We'd rather keep our old pumps going than rip them out.",
    ),
    (S, "Shorter project lead time", "We can't wait sixteen weeks for pumps on this job."),
    (S, "Trouble-free start-up", "The last install took three return visits before it ran right."),
    (
        S,
        "Smaller spare-parts inventory",
        "Our stores are full of seals for pumps we don't even have anymore.",
    ),
    (S, "Fewer leaks and spills", "The dosing skids leave a white residue everywhere."),
    (
        S,
        "Easier regulatory compliance",
        "We've had two warning letters from the environment agency.",
    ),
    (S, "Lower total cost of ownership", "We buy cheap and pay for it later in power and parts."),
    (
        S,
        "OEM reputation for reliable machines",
        "Our end customers moan that our machines are always breaking.",
    ),
    (
        S,
        "OEM wins more machine orders",
        "We lose orders because we can't quote short enough delivery.",
    ),
    (
        S,
        "A purchase nobody second-guesses",
        "I need something I can stand behind when the auditors ask why we picked it.",
    ),
    (S, "Energy manager hits savings goal", "I'm way off my energy target this year."),
    (S, N, "Our control room is being refurbished."),
    (S, N, "We'll call you when we've talked to finance."),
    (S, N, "The site has its own fire brigade."),
)
