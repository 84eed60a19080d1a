"""The domain concept lexicon for outcome matching (see `analyzer_outcomes`).

Customers rarely use an outcome's own words: a pump "seized", a line "sat still", pumps "burn
power for nothing", a part takes "four months" to arrive. Each concept below is a family of
everyday phrasings (regular expressions on the lower-cased text) that adds one concept term.
The same patterns run over the outcome's text, so "failed", "breakdown" and "seized" all meet
in the term `failure`. Concept terms are the synonym table's terms where one exists, so an
outcome that only says "downtime" is reached by "the line sat still".

Patterns are phrases, not single everyday words: "goes down" is a failure, "down" alone is not.
"""

from __future__ import annotations

import re

# concept term -> phrasings (regex alternatives, wrapped in word boundaries)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "failure": (
        r"gives? up|gave up",
        r"dead (?:pump|motor|bearing|drive)s?",
        r"threw (?:a |its )?(?:bearing|seal|impeller|belt|coupling)",
        r"in trouble|(?:goes|go|went|gone) wrong",
        r"breaks? down",
        r"(?:shake|shakes|shaking|fall|falls|falling) (?:themselves |itself )?"
        r"(?:to bits|to pieces|apart)",
        r"seiz(?:e|ed|es|ing)(?: up)?",
        r"wreck(?:ed|s)?",
        r"di(?:e|es|ed)",
        r"dying",
        r"let go",
        r"(?:gave|give|gives|giving) out",
        r"pack(?:ed|s)? up",
        r"(?:went|goes|go|going) (?:bang|pop)",
        r"(?:pumps?|stations?|motors?|drives?|it|they) (?:went|goes|go|going) down",
        r"conk(?:ed|s)? out",
        r"blew up|blown",
        r"burn(?:t|ed|s)? out",
        r"broke down|broken down|broken",
        r"(?:chewed|chews) up",
        r"cavitat\w*",
        r"jamm?(?:ed|s)?",
        r"ran dry|run dry|running dry",
        r"pack(?:ed|s)? in",
    ),
    "downtime": (
        r"(?:whole|entire) (?:works|plant|site|line|factory) (?:just )?stops",
        r"lost pressure|no (?:heat|water|pressure|flow) for",
        r"(?:a )?stopped (?:kiln|line|feed|mill|plant|unit|filler)",
        r"nothing (?:moved|ran|ran again)",
        r"stands? still",
        r"(?:lost|losing|lose|loses) (?:\w+ )?(?:days?|shifts?|hours?) of "
        r"(?:production|crushing|milling|output|running)",
        r"(?:sat|sit|sits|stood|standing|sitting) (?:still|idle)",
        r"(?:line|lines|plant|process|kiln|mill|unit|station)s? (?:is |was |were |are |went )?down",
        r"(?:lost|losing|lose|loses) (?:a |the |an )?(?:whole |full |entire )?"
        r"(?:shift|shifts|day|days|production|batch|batches|run)",
        r"(?:grind|grinds|ground|came|come|comes) to a (?:halt|stop|standstill)",
        r"not running|stopped running|stop running",
        r"dead in the water",
    ),
    "repair": (
        r"(?:running|going|pumping) again",
        r"back (?:up )?(?:and )?(?:running|online)",
        r"back in service",
        r"get (?:it|them) (?:going|back)",
    ),
    "energy": (
        r"pay the utility|utility costs?",
        r"power (?:invoice|invoices|bill|bills|costs?)",
        r"utility (?:bill|bills|invoice|invoices)",
        r"(?:burn|burns|burning|burnt|eat|eats|eating|guzzl\w*|suck|sucks|sucking) "
        r"(?:so much |a lot of |more )?(?:power|energy|electricity|juice|kw\w*)",
        r"megawatts?|kilowatts?|motor load",
        r"power (?:draw|consumption|use|usage)",
    ),
    "waste": (
        r"full flow|when demand is (?:low|tiny|small)",
        r"flat out|full (?:speed|throttle|tilt)",
        r"(?:more|twice) than (?:they|it|the process) needs?",
        r"for nothing",
        r"throttl\w*",
        r"wast\w*",
        r"(?:half|partly|partially) (?:shut|closed)",
        r"against a (?:closed |shut )?valve",
    ),
    "leak": (
        r"crust\w*|residue|stain\w*",
        r"storm drains?|(?:got|went|ran|leaked|spilled) into the (?:river|drain|sewer|ground)",
        r"drip\w*",
        r"weep\w*",
        r"seep\w*",
        r"puddles?",
        r"(?:acid|chemical|oil|water|caustic|product) (?:on|all over) the floor",
        r"(?:lose|loses|losing|lost) (?:product|fluid|acid|oil) (?:out|through|at)",
    ),
    "repeat": (
        r"fix (?:it|them) again|(?:it|they) breaks?, we fix",
        r"(?:back|sent) to the (?:repair )?(?:shop|workshop) (?:\w+ )?(?:times|again)",
        r"times for the same",
        r"(?:failed|broke|tripped|went) again",
        r"(?:repaired|fixed|rebuilt|overhauled) (?:\w+ )?(?:twice|three times|several times|again)",
        r"back in the workshop",
        r"with the same (?:problem|fault|failure|issue)",
        r"after every (?:repair|rebuild|overhaul|fix|service)",
        r"keeps? (?:failing|breaking)",
        r"(?:came|come|comes|coming) back twice",
        r"same (?:\w+ )?(?:job|fault|failure|problem|repair|pump|thing) (?:again|redone|twice)",
        r"redone|re-done|redo",
        r"again and again|over and over",
        r"(?:keeps?|kept) coming back",
        r"(?:came|come|comes|coming) back (?:\w+ )?(?:times|again)",
        r"(?:second|third|fourth) time",
    ),
    "safety": (
        r"badly burned|scalded",
        r"lost a (?:finger\w*|hand|eye)|amputat\w*|stitches",
        r"splash\w*|scald\w*",
        r"near[- ]miss\w*|close calls?|lost[- ]time|first aid",
        r"slipp?(?:ed|ing)? on|(?:got|was) hurt",
    ),
    "inventory": (
        r"(?:storeroom|warehouse|shelves|shelf|stores?) (?:full|stacked) (?:of|with)",
        r"just in case|gathering dust",
    ),
    "capital": (
        r"tied up in (?:spares|parts|stock|inventory)|worth a fortune|working capital",
        r"cash (?:in|on) the shel(?:f|ves)",
    ),
    "record": (
        r"last serviced|(?:service|maintenance) dates?",
        r"(?:service|maintenance|repair) (?:history|histories|records?|logs?)",
        r"logbooks?|paper files",
    ),
    "mtbf": (
        r"failure rates?|how often (?:\w+ ){0,3}fail\w*",
        r"mtbf|mean time between failures?",
        r"(?:time|hours|months|weeks) between (?:failures|breakdowns)",
    ),
    "worry": (
        r"(?:last|first) to (?:hear|know)",
        r"peace of mind|(?:not|never) knowing|on edge",
        r"keeps? an eye|(?:someone|somebody) (?:is )?watching",
    ),
    "output": (
        r"(?:don't|do not|won't) sell",
        r"(?:can't|cannot|couldn't) (?:sell|ship) (?:it|them)?|sell more|lost sales",
    ),
    "risk": (
        r"(?:put|puts) money on the table|availability drops",
        r"(?:service company|supplier|vendor|contractor) pays",
        r"skin in the game|service credits?",
        r"(?:carry|carries|share|shares|take|takes) (?:some of |part of )?the "
        r"(?:risk|penalty|pain)",
    ),
    "defend": (
        r"stand behind|why we picked",
        r"(?:can|could) defend",
        r"(?:justify|defend\w*) (?:the|his|her|their) (?:choice|decision|purchase)",
        r"second-?guess\w*",
        r"(?:question|questioned|blame|blamed) (?:him|her|them|the choice)",
    ),
    "improv": (
        r"improvement (?:list|backlog)",
        r"root[- ]cause|improvement (?:work|projects?)|reliability projects?",
    ),
    "part": (
        r"(?:arrived|turned up|came|showed up) without (?:the |a )?(?:\w+ )?"
        r"(?:seal|part|spare|bearing|gasket)s?",
        r"wrong (?:part|gasket|seal|spare|bearing)s?",
        r"(?:didn't|did not) have the (?:right )?(?:part|spare)s?",
    ),
    "operator": (
        r"new operators|nobody showed them",
        r"throttl\w* (?:\w+ )?(?:on )?the suction",
        r"(?:discharge |suction )?valves? (?:shut|closed)",
        r"dry[- ]run\w*|run(?:ning)? dry",
    ),
    "mount": (
        r"bolt (?:it |them )?(?:on|in)|plumb (?:it |them )?in",
        r"drop[- ]in|plug[- ]and[- ]play|mount\w*",
    ),
    "reputation": (r"(?:have|has|got) a (?:name|reputation) for",),
    "bad": (r"handful of (?:pumps|machines|assets)|bad actors?|worst (?:pumps|offenders|actors)",),
    "reliability": (r"no more reliable|(?:just as|as) unreliable",),
    "startup": (r"\w+ visits before", r"start-?ups?", r"first start", r"hand-?over", r"go-live"),
    "detect": (
        r"smok\w*|scream\w*",
        r"(?:find|found|know|knew) (?:out )?(?:\w+ ){0,3}(?:wrong|going) when",
        r"no (?:clue|idea)\b.{0,40}\buntil",
        r"rattl\w*|knock(?:ing)? (?:sound|noise)",
        r"(?:nobody|no one|never) (?:knows|know|noticed|notices|sees)(?: anything)? until",
        r"notic\w*",
        r"hears?|heard",
        r"nobody (?:saw|sees|spotted)",
        r"(?:getting|gets|got|running|runs|ran) hot",
        r"rumbl\w*|vibrat\w*|nois[ey]\w*|screech\w*|squeal\w*|grinding noise",
        r"before (?:it|they|the \w+) (?:fails?|goes|go|let go|breaks?|dies|die)",
        r"(?:warning|early) signs?",
    ),
    "night": (
        r"(?:at )?(?:one|two|three|four|five) in the morning|phone rings",
        r"(?:sunday|saturday|friday) nights?|alarms? (?:go|goes|went) off",
        r"call-?outs?",
        r"(?:phoned|called|rung|rang|paged) (?:up )?(?:at|in the middle|out)",
        r"[1-5] ?am",
        r"middle of the night",
        r"out of bed",
        r"woken|wakes? (?:him|her|them|me) up",
        r"on-?call",
        r"pager",
    ),
    "supplier": (
        r"(?:different|separate) companies",
        r"one (?:number|phone number|contact|point of contact) to call",
        r"firms?",
        r"(?:repair|service|machine) shops?",
        r"(?:service|repair) (?:companies|company|outfits?|partners?)",
    ),
    "predictable": (
        r"never know (?:\w+ ){0,8}(?:add up|come to|cost)",
        r"jumps? (?:around|about)",
        r"all over the place",
        r"wild\w*",
        r"up and down",
        r"never the same",
        r"(?:can't|cannot|couldn't|hard to|impossible to) (?:predict|forecast|budget)",
    ),
    "reactive": (
        r"chasing (?:our|their|his|her) tails?",
        r"just reacts?|reacting to|whatever alarm",
        r"in a (?:panic|rush|hurry)",
        r"after (?:something|it|the pump) (?:has )?(?:already )?(?:broken|failed)",
        r"(?:putting|put|puts) out fires",
        r"(?:nobody|no one|never) saw (?:it |them )?coming",
        r"out of the blue",
        r"(?:rush|panic|crash) jobs?",
    ),
    "deliver": (
        r"(?:order|orders|shipment|delivery) (?:would be|was|were|will be) (?:\w+ ){0,3}late",
        r"trucks? (?:left|leave|leaving|went) (?:half )?empty|half[- ]empty trucks?",
        r"short(?:ed|-shipped|shipped)|short deliveries|stock-?outs?|out of stock",
        r"(?:let|letting|lets) (?:the |their )?customers? down",
        r"on time",
        r"(?:couldn't|could not|can't|cannot|failed to) ship",
        r"(?:late|missed) (?:orders?|shipments?|deliveries|delivery|trucks?|loads?)",
        r"(?:missed|miss|misses) (?:the |a |their )?(?:slot|deadline|delivery|window)",
    ),
    "customer": (
        r"supermarkets?|retailers?|clients?|their customers|end customers?",
        r"buyers? of their",
    ),
    "peer": (
        r"other (?:\w+ )?works",
        r"(?:compared?|comparison) (?:to|with) (?:similar|other|comparable)",
        r"(?:similar|comparable) (?:sites|plants|refineries|mills|utilities|mines|breweries"
        r"|dairies|factories|operators)",
        r"other (?:mills|plants|sites|utilities|refineries|mines|breweries|dairies|factories)",
        r"stack up",
        r"league tables?",
        r"best in class",
    ),
    "measur": (
        r"prove\w*|proof|evidence|hard numbers|real numbers",
        r"business case",
        r"payback",
    ),
    "approv": (r"reject\w*", r"turn(?:ed|s)? down", r"knock(?:ed|s)? back", r"green light"),
    "paperwork": (
        r"paperwork|binders?|folders?|documents?|documentation|spreadsheets?",
        r"dig\w* (?:out|through|up)",
        r"hunt\w*",
    ),
    "sustainab": (r"net[- ]zero", r"carbon[- ]neutral", r"climate (?:pledge|promise|goals?)"),
    "skill": (
        r"(?:never|not) been trained|untrained|no training",
        r"(?:can't|cannot|couldn't) work out why",
        r"only (?:ever )?swap(?:ped)? parts|parts? changers?",
        r"(?:knows?|know) how to",
        r"troubleshoot\w*",
        r"(?:always|have to|has to|must) (?:ring|call|phone) (?:the |in )?"
        r"(?:oem|manufacturer|vendor|supplier|factory)",
        r"know-?how",
        r"diagnos\w*",
        r"on (?:their|his|her) own",
        r"(?:young|junior|new|inexperienced) (?:techs?|technicians?|fitters?|staff|crew|guys)",
    ),
    "size": (
        r"(?:far|way|much|two sizes) too (?:big|large)",
        r"(?:future|planned) expansion that never|built for (?:a )?(?:future|bigger)",
        r"off (?:their|its|the) design point",
        r"(?:wrong|poor|bad) (?:pump )?selection",
        r"too (?:big|large|small) for",
        r"(?:far|wrong) end of the curve",
        r"off (?:the|its|their) curve",
        r"wrong size",
        r"duty point",
    ),
    "cyber": (
        r"it (?:team|department|people|security|guys)",
        r"(?:device|devices|gadgets?|boxes) (?:on|onto|into|to) the (?:\w+ )?network",
        r"ot network|network security|malware|virus",
    ),
    "integrat": (
        r"(?:into|onto|to) (?:the |their |our )?(?:scada|dcs|historian|plc|control system)",
        r"(?:weeks|days|months) of (?:coding|programming)",
        r"operator screens?|control room screens?|hmi|dashboard\w*",
        r"(?:custom|bespoke) (?:interface|gateway|driver|code)",
        r"(?:readings?|data|signals?) (?:visible|show up|showing up|appear)",
    ),
    "regulat": (
        r"environmental officer|(?:close|shut) (?:down )?the site|discharges?",
        r"storm drains?|(?:got|went|ran|leaked|spilled) into the (?:river|drain|sewer|ground)",
        r"environment(?:al)? agency|epa",
        r"licen[cs]es?",
        r"discharge consent",
    ),
    "life": (
        r"keep (?:our|their|the) old (?:\w+ )?going|rip (?:them|it) out",
        r"keep going for (?:\w+ )?years|odd rebuild",
        r"rather rebuild|rebuild (?:their|the) old|buy(?:ing)? new ones",
        r"scrapp?(?:ed|ing)? (?:them|the pumps?|pumps|it) (?:at|after)",
        r"(?:for|last|lasts) (?:another|an extra) (?:\w+ )?years?",
        r"(?:last|lasts|lasted) (?:\w+ )?(?:years|decades)|could last \w+",
        r"replac\w* (?:early|too early|too soon|after \w+ years)",
        r"(?:worn|wear|wears) out",
    ),
    "lifecycle": (
        r"buy cheap|pay for it later",
        r"dwarfs?|(?:what|the price) they paid for",
        r"(?:lifetime|whole-?life|life-?cycle) costs?",
        r"(?:cheapest|cheaper|lowest price)\b.{0,60}\b(?:most expensive|dearest|cost more)",
        r"over (?:its|their|the) (?:whole |entire |full )?li(?:fe|ves)",
        r"(?:purchase|sticker|upfront|up-front|initial) price",
        r"total cost",
    ),
    "win": (
        r"los\w* business",
        r"(?:los\w*|lost|win\w*|won) (?:\w+ ){0,2}(?:tenders?|bids?|orders?|deals?|contracts?)",
        r"(?:losing|lose|lost) (?:out )?to (?:\w+ )?competitors?",
    ),
    "oem": (r"machine (?:builders?|makers?)", r"skid (?:builders?|makers?)"),
    "leadtime": (
        r"quotes? (?:\w+ )?(?:weeks|months)",
        r"(?:until|till) the pumps? turn up",
        r"on site in (?:\w+ )?(?:weeks|days)",
        r"slips? into|slipped into",
        r"lead[- ]times?",
        r"delivery times?",
        r"(?:weeks|months) (?:of )?(?:delivery|waiting)",
        r"(?:waited|wait|waiting|took) (?:\w+ )?(?:weeks|months) for",
        r"(?:to|before they) arrive",
        r"running sooner|installed sooner",
    ),
    "support": (
        r"went bust|out of business|disappeared|discontinued|obsolete",
        r"no (?:longer )?support\w*",
        r"(?:can't|cannot|couldn't) (?:get|find) (?:spare )?parts",
        r"left (?:them|us|him) with no parts",
    ),
}

_COMPILED = tuple(
    (term, re.compile("|".join(rf"\b(?:{p})\b" for p in patterns)))
    for term, patterns in CONCEPTS.items()
)


def concept_terms(text: str) -> list[str]:
    """The concept terms whose phrasings occur in the text (each concept once)."""
    lowered = text.lower().replace("\u2019", "'")
    return [term for term, pattern in _COMPILED if pattern.search(lowered)]
