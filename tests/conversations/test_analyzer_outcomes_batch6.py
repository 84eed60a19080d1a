"""Our batch 6 of paraphrased outcome mentions (in no labelled set), written for this change
before it was run: a first run on the rules at 1a1334d gave 0.810 / 0.459. It was not used to
widen any lexicon; it took part in choosing between a few settings of the general-sense
matching (which WordNet pointers to keep), so it is no longer unseen. Rows: (network, labelled
outcome or "none", sentence)."""

from __future__ import annotations

from tests.conversations.test_analyzer_outcomes import _score

F, S, N = "flowcare", "smartflow", "none"
BATCH_6 = (
    (
        F,
        "Less unplanned downtime",
        "Whenever the feed pump quits, the bottling hall goes quiet for the rest of the shift.",
    ),
    (
        F,
        "Faster repair when a pump fails",
        "Getting a dead pump going again takes them the best part of a week.",
    ),
    (
        F,
        "Right part on hand at the first visit",
        "The fitter showed up, diagnosed it, and then had to order an impeller from Germany.",
    ),
    (
        F,
        "Less capital tied up in spares",
        "There's a warehouse of backup motors and casings nobody has touched since 2015, and the accountants hate it.",  # noqa: E501
    ),
    (
        F,
        "Energy waste found and fixed",
        "The big circulation pumps are far too large for the duty and half the valve is closed all year.",  # noqa: E501
    ),
    (
        F,
        "Operators run pumps correctly",
        "New starters keep opening the pumps up with the discharge shut.",
    ),
    (
        F,
        "Predictable maintenance budget",
        "The repair bill jumps around so much that the controller can't forecast it.",
    ),
    (
        F,
        "Fewer service suppliers to manage",
        "Every pump make has its own service outfit, and they each send separate invoices.",
    ),
    (
        F,
        "Fewer repeat failures after repair",
        "Three months after the rebuild the same unit was back in the workshop with the same fault.",  # noqa: E501
    ),
    (
        F,
        "Audit-ready maintenance records",
        "Nobody can say when the fire water pumps were last looked at, it's all in someone's head.",
    ),
    (
        F,
        "Continuous reliability improvement",
        "The fleet is as unreliable now as it was when he joined.",
    ),
    (
        F,
        "Clear view of performance against peers",
        "They wonder whether their sister plants get more out of the same pumps.",
    ),
    (
        F,
        "Stronger in-house maintenance skills",
        "The crew are mechanics, not pump specialists, so anything tricky goes to an outside firm.",
    ),
    (
        F,
        "Maintenance work planned, not reactive",
        "The team lurches from one emergency to the next and never gets to its work orders.",
    ),
    (
        F,
        "Safer pump maintenance",
        "A fitter burned his hand opening a casing that was still under pressure.",
    ),
    (
        F,
        "Upgrade projects backed by measured data",
        "The board won't release money for new drives on the basis of a sales brochure.",
    ),
    (
        F,
        "Lower maintenance cost",
        "Weekend overtime and courier fees for parts are eating the maintenance line.",
    ),
    (F, "Lower energy cost", "Running the pumps is now their biggest utility expense after gas."),
    (
        F,
        "Lower carbon emissions",
        "Head office wants the site's CO2 down by a quarter before 2030.",
    ),
    (
        F,
        "Reliable supply to our own customers",
        "The supermarket chain fined them for short deliveries twice this spring.",
    ),
    (
        F,
        "Fewer night call-outs for the maintenance lead",
        "Jan's phone rings at two in the morning whenever a pump alarm goes off.",
    ),
    (
        F,
        "Less time chasing service suppliers",
        "Sara spends her Fridays ringing round firms for quotes and chasing missing paperwork.",
    ),
    (
        F,
        "No last-minute scramble before audits",
        "The week before the inspector visits, the whole office is turning cupboards upside down.",
    ),
    (
        S,
        "Lower pump energy use",
        "The motors run flat out while the flow is choked back by a half-shut valve.",
    ),
    (
        S,
        "Faster seal changes",
        "Replacing a mechanical seal means pulling the whole pump and shipping it to the workshop.",
    ),
    (
        S,
        "Pump data in the plant control system",
        "The condition readings live on a separate laptop and never reach the control room screens.",  # noqa: E501
    ),
    (
        S,
        "Lower cyber-security risk on the OT network",
        "IT is nervous about every new device that gets plugged into the process network.",
    ),
    (
        S,
        "Longer service life of installed pumps",
        "They scrap pumps after six or seven years when they could last twenty.",
    ),
    (
        S,
        "Shorter project lead time",
        "The new filling line has been waiting on pumps for five months.",
    ),
    (
        S,
        "Faster machine build for OEMs",
        "Their builders spend days piping and wiring each pump set by hand.",
    ),
    (
        S,
        "Trouble-free start-up",
        "The last installation needed three return trips before it ran properly.",
    ),
    (S, "Smaller spare-parts inventory", "They hold separate spares for eleven pump models."),
    (S, "Fewer leaks and spills", "There's a puddle of caustic under pump 4 every Monday."),
    (
        S,
        "Easier regulatory compliance",
        "The environment agency threatened to pull their discharge consent.",
    ),
    (
        S,
        "More time for improvement work",
        "The engineers never get round to the reliability projects because they're always fighting fires.",  # noqa: E501
    ),
    (
        S,
        "OEM wins more machine orders",
        "Their rival quotes eight weeks and they quote sixteen, so they lose the job.",
    ),
    (
        S,
        "A purchase nobody second-guesses",
        "If the new pumps flop, the buyer is the one who'll have to explain it to the directors.",
    ),
    (F, N, "The pump room smells of fresh paint since the refurbishment."),
    (F, N, "She drove in from the other plant this morning."),
    (F, N, "We'll send the calendar invite for the follow-up next week."),
    (F, N, "The maintenance manager has two kids and coaches football."),
    (F, N, "Their canteen serves the best soup in the region."),
    (F, N, "The site was bought by a Swedish group in 2019."),
)


def test_batch_6_is_no_worse_than_when_measured() -> None:
    """Measured after the change: 0.760 / 0.514 (19 of 25 matched, of 37). A guard, not the
    target: this batch, like the fresh part, shows what new wording still misses."""
    score = _score(BATCH_6)
    assert score.precision >= 0.75 and score.recall >= 0.5, (score.precision, score.recall)
