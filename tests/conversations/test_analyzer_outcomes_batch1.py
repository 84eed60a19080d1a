"""Our batch 1 of paraphrased outcome mentions (in no labelled set) for the demo value
networks: written down before it was run, scored once, and only then used to widen the concept
families in `analyzer_concepts` (first-run figures in `docs/conversation-analyzer.md`).
Rows: (network, labelled outcome or "none", sentence)."""

from __future__ import annotations

F, S, N = "flowcare", "smartflow", "none"

BATCH_1 = (
    (
        F,
        "Less unplanned downtime",
        "At the brewery the wort transfer pump seized up twice in August and the bottling "
        "line sat still for a whole shift.",
    ),
    (
        F,
        "Lower energy cost",
        "Their pumping costs them a fortune on the power invoice every winter.",
    ),
    (
        F,
        "Fewer repeat failures after repair",
        "The mine's slurry pumps keep getting the same impeller job redone a fortnight after "
        "the fitter leaves.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "When a dosing pump dies they wait ten days for the part to come from Germany.",
    ),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "The water utility's maintenance guy gets phoned at 2am whenever a lift station goes down.",
    ),
    (
        F,
        "Fewer service suppliers to manage",
        "They have seven different service firms for pumps and nobody keeps track of who "
        "fixed what.",
    ),
    (
        F,
        "Predictable maintenance budget",
        "The repair bill for pumps jumps around wildly from one year to the next.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "Half their crew's week goes on firefighting jobs nobody saw coming.",
    ),
    (
        F,
        "Safer pump maintenance",
        "A fitter hurt his hand last spring pulling a hot pump apart in a hurry.",
    ),
    (
        F,
        "Reliable supply to our own customers",
        "The dairy couldn't ship to the supermarket chain on time twice this quarter.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "They'd love to know how their pumps compare with other paper mills.",
    ),
    (
        F,
        "Upgrade projects backed by measured data",
        "Finance keeps rejecting the VFD retrofit because nobody can prove the savings.",
    ),
    (
        F,
        "No last-minute scramble before audits",
        "The EHS lady spends the week before every inspection digging out paperwork.",
    ),
    (
        F,
        "Progress on sustainability targets",
        "The group has promised net zero by 2035 and the site has to show its part.",
    ),
    (
        F,
        "Faults caught before they stop a pump",
        "Nobody notices the bearing getting hot until the pump is already wrecked.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "They have half a million dollars of pump parts sitting in a warehouse just in case.",
    ),
    (
        F,
        "Operators run pumps correctly",
        "Their operators keep running the pumps against a closed valve.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "The young techs can't really diagnose a vibration problem on their own yet.",
    ),
    (
        F,
        "Faster repair when a pump fails",
        "When a pump goes it takes them three days to get it running again.",
    ),
    (
        F,
        "Less time chasing service suppliers",
        "The buyer spends hours every month chasing quotes from different repair shops.",
    ),
    (
        F,
        "Peace of mind for the plant manager",
        "The plant manager wants to sleep at night knowing someone keeps an eye on things.",
    ),
    (F, N, "The plant manager joined the call ten minutes late."),
    (F, N, "We walked through the pump house after lunch."),
    (F, N, "The site has two hundred employees and runs three shifts."),
    (F, N, "Their system went live last year with another vendor's software."),
    (
        S,
        "Fewer leaks and spills",
        "The acid dosing pumps in the chlorination room drip constantly.",
    ),
    (
        S,
        "Lower pump energy use",
        "The cooling tower pumps burn power for nothing because the valves are half shut.",
    ),
    (
        S,
        "Faster seal changes",
        "Replacing a mechanical seal means pulling the pump to the workshop for two days.",
    ),
    (
        S,
        "Shorter project lead time",
        "Their new extrusion line waited four months for the pumps to arrive.",
    ),
    (
        S,
        "Early warning of developing pump faults",
        "The bearings start rumbling weeks before they let go, but nobody hears it.",
    ),
    (
        S,
        "Faster machine build for OEMs",
        "The machine builder spends a week piping each pump set by hand.",
    ),
    (
        S,
        "Trouble-free start-up",
        "Last startup the contractor came back three times to get the pumps stable.",
    ),
    (
        S,
        "Lower cyber-security risk on the OT network",
        "Their IT team refuses to let any new device onto the control network.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "They want the pump readings visible on the operator screens without a custom interface.",
    ),
    (
        S,
        "Pumps sized to run near best efficiency",
        "Half their pumps are way too big for the duty and run at the far end of the curve.",
    ),
    (
        S,
        "Easier regulatory compliance",
        "The environment agency threatened to pull their discharge licence after the last spill.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "They replace pumps after six years when they could last fifteen.",
    ),
    (
        S,
        "Smaller spare-parts inventory",
        "They keep forty different seal kits on the shelves for twelve pump models.",
    ),
    (
        S,
        "Lower total cost of ownership",
        "The cheapest pump on the tender ended up the most expensive once the electricity and"
        " repairs were added up.",
    ),
    (
        S,
        "OEM wins more machine orders",
        "The machine maker is losing tenders because its lead times are longer than the Italians'.",
    ),
    (
        S,
        "More time for improvement work",
        "The maintenance team never gets round to improvement projects because they're always"
        " putting out fires.",
    ),
    (
        S,
        "No surprises in the security audit",
        "The automation lead is nervous about the auditor looking at the pump controllers.",
    ),
    (
        S,
        "Credible sustainability reporting",
        "The sustainability report needs real numbers per asset, not estimates.",
    ),
    (
        S,
        "Low-risk supplier choice",
        "Their buyer got burned by a brand that disappeared and left them with no parts.",
    ),
    (S, N, "The pump house is next to the main gate."),
    (S, N, "I'll call the plant manager back on Thursday."),
    (S, N, "The control room has big windows overlooking the river."),
)
