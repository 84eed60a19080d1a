"""Weighted cues of the expansion categories future_state and cost_of_inaction (see
`analyzer_lexicon` for how cues are used, `analyzer_lexicon_expansion` for the others):
- future_state: how things should be - ideal, vision, goals, "where do you want X to be",
  years from now;
- cost_of_inaction: what staying as is costs - "if nothing changes", waiting, "costing",
  losses per period, waste, how long it can go on.
"""

from __future__ import annotations

from valuescout.conversations.analyzer_lexicon import PROBLEM, Cue, cues

FUTURE_STATE: list[Cue] = cues(
    "future_state",
    {
        r"ideal(?:ly)?|perfect": 3.0,
        r"vision(?! system| camera| inspection| sensor)": 3.0,
        r"(?:would|will|should|could) (?:[\w' -]+ ){0,6}look like": 2.5,
        r"(?:would|will|should) (?:success|good|a win|great|it) look like": 3.0,
        r"(?:does|do) (?:good|success|great|a win) look like": 3.0,
        r"(?:look|looks) like": 1.0,
        r"success": 1.5,
        r"in (?:an? )?(?:perfect|ideal) world": 3.0,
        r"imagine": 2.5,
        r"picture": 1.5,
        r"dream": 2.5,
        r"magic wand|free hand|blank (?:sheet|page|slate)|clean slate": 3.0,
        r"(?:budget|money|cost|price) (?:were|was|is) no (?:issue|object|constraint|problem)|"
        r"no constraints|unlimited|carte blanche": 3.0,
        r"from scratch|start(?:ed|ing)? (?:over|again|afresh)|fresh start|greenfield": 2.5,
        r"how should (?:[\w']+ ){1,4}(?:run|look|work|be|feel)": 2.5,
        r"wish ?list|wish(?:es)? for|if you had your way": 2.5,
        r"see (?:[\w']+ ){0,4}(?:changing|evolving|developing|heading|going) ": 2.5,
        r"(?:next|coming) (?:few |two |three |five |ten |\d+ )?years": 1.5,
        r"where (?:are|is) (?:\w+ ){1,2}(?:trying|hoping|aiming|heading|going)": 2.5,
        r"(?:in|within|over the next) (?:two|three|four|five|ten|\d+) years?": 1.5,
        r"years? (?:out|from now)|in a year's time|a year from now": 2.0,
        r"(?:five|three|two|5|3|2)[- ]years?": 1.0,
        r"(?:future|long term|long-term|roadmap|ambition|ambitions|aspire|aspiration)": 2.0,
        # goals and aims
        r"(?:end goal|goal|goals|aim|aims|objective|objectives) (?:for|is|are|here)": 1.5,
        r"(?:bigger|real|main|ultimate|long-term|overall|end) (?:goal|aim|objective|picture)": 2.5,
        r"end (?:goal|game|state)|target state|to-be|best (?:case|result|outcome|scenario)|"
        r"(?:good|great|ideal) outcome": 2.5,
        r"(?:hoping|hope|hopes|want|wants|trying|aiming|looking) to (?:achieve|reach)": 2.5,
        r"(?:aiming|striving|working|heading) (?:for|towards?)": 2.0,
        r"what (?:would|should) (?:good|best|great|world[- ]class)": 2.5,
        # where someone wants things to be
        r"(?:want|wants|like|hope|hopes) (?:[\w']+ ){0,6}to (?:be|look|run|work|feel|read|"
        r"sound)": 2.0,
        r"would (?:you|they|he|she|we) (?:like|want) (?:[\w']+ ){0,8}to (?:be|look|do|see|have|"
        r"feel|know|find|say|tell)": 2.5,
        r"(?:want|like) (?:[\w']+ ){0,3}to be able to": 2.0,
        r"where (?:do |does |would |should )?(?:you|he|she|they|we|the \w+) "
        r"(?:want|wants|see|sees|hope|hopes|like to be)": 2.5,
        r"where (?:would|should) (?:you|the plant|the site) (?:like to )?be": 2.5,
        r"how (?:she|he|they|you|we) would like": 2.0,
        r"how would you like": 2.0,
        # what the customer wants the seller to do is a preference, not a future state
        r"(?:like|want|wants) us to": -4.0,
        r"what would (?:have to|need to) be true": 3.0,
        r"if we (?:sat|met|spoke|talked) (?:here )?again": 2.5,
    },
)

COST_OF_INACTION: list[Cue] = cues(
    "cost_of_inaction",
    {
        # nothing changes
        r"if (?:nothing|none of this|it|things) (?:changes|stays|stayed|changed)": 4.0,
        r"nothing (?:is|gets|was) (?:done|changed)": 4.0,
        r"(?:do|did|does) nothing|doing nothing": 4.0,
        r"(?:stay|stays|staying|keep|keeps|keeping|leave|leaving) (?:it |things |everything )?"
        r"(?:as is|as it is|the same|like this|going like this|running like this|"
        r"as they are|this (?:high|low|bad|way))": 3.0,
        r"(?:leave|leaving) (?:it|them|that|things) (?:for |another |until |till )": 3.0,
        r"status quo": 2.5,
        r"(?:risk|cost|price|bill|price tag) (?:of|for) (?:keeping|staying|waiting|leaving|not|"
        r"sticking|living|running (?:the|those|these) old)": 3.5,
        rf"(?:price|cost) of (?:another|one more|each|every|a|an) (?:\w+ ){{0,2}}{PROBLEM}": 3.0,
        # waiting
        r"cost of (?:waiting|delay|delaying|inaction|not acting|doing nothing|"
        r"the status quo)": 4.0,
        r"(?:wait|waiting|delay|delaying|postpone|postponing|put off|push(?:ed)? (?:it|this) "
        r"(?:back|out)) (?:costs?|another|a year|a quarter|six months|until|till)": 3.0,
        r"(?:postpon|delay|wait|push|put)\w* .{0,40}(?:cost|lose|losing|lost|miss)": 3.0,
        r"(?:what|how much|how many)\b.{0,30}\b(?:do|does|would|will|did) (?:you|they|we|the \w+) "
        r"lose": 2.5,
        r"if you leave (?:it|them|that|things)": 3.0,
        r"(?:is|are) (?:that|this|it) sustainable|keep (?:that|this|it) up": 2.5,
        # equipment running out of support
        r"(?:stop|stops) being supported|no longer supported|out of support|"
        r"end of (?:life|support)|obsolete|obsolescence|discontinued": 2.5,
        r"(?:likely|going|bound|set) to (?:rise|grow|increase|get worse|go up|climb)": 2.5,
        r"what (?:if|happens if) (?:you|we) wait": 3.0,
        r"(?:another|next|one more) (?:year|winter|summer|quarter|season|campaign) "
        r"(?:of|like)": 2.5,
        r"(?:another|one more) (?:\w+ )?(?:years?|winters?|summers?|quarters?|seasons?|"
        r"campaigns?|shutdowns?)": 2.0,
        # what it is costing: losses, per period
        r"costing": 2.5,
        r"(?:cost|costs|lose|losing) (?:\w+ ){0,3}(?:when|whenever|every time|each time)": 2.5,
        r"(?:cost|costs|lose|losing|lost|lose) (?:you|them|us|her|him|the plant|the site|"
        r"the business|the company|the team|your|the \w+ team)": 2.5,
        rf"{PROBLEM}\w* [\w' -]{{0,30}}(?:cost|costs|costing)\b": 2.0,
        r"how much (?:does|did|do|is|are|would) .{0,40}(?:costing|losing|lose)": 2.5,
        r"how much (?:does|did|do|is|are|would) .{0,40}cost": 1.5,
        r"how (?:many|much) (?:more|longer) (?:[\w']+ ){0,4}(?:can|could|will)": 3.0,
        r"what (?:would|will) .{0,40}cost": 1.5,
        r"adds? up to|add up over": 2.0,
        r"slipping (?:through|away)|leaking away|bleeding": 2.5,
        r"stick(?:ing)? with|stay(?:ing)? with|holding on to|carry(?:ing)? on with": 2.5,
        r"longer (?:\w+ ){0,4}(?:willing|prepared|able|happy) to "
        r"(?:accept|tolerate|wait|live)": 3.0,
        r"(?:what|how much) (?:are|is) (?:you|they|the \w+) (?:losing|leaving on the table)": 3.0,
        r"walk(?:s|ing)? out (?:of )?the door|(?:leave|leaving) (?:money )?on the table": 3.0,
        r"(?:every|each) (?:hour|day|week|month|shift|quarter|year|time) (?:that|of|the|you|it|a|"
        r"this|we)": 2.0,
        # how long it can go on
        r"if you (?:don't|do not|didn't|did not|never) (?:fix|act|change|solve|address|"
        r"replace|upgrade|do)": 3.0,
        r"(?:not fixing|not solving|not acting|not changing|not replacing)": 3.0,
        r"how long can (?:you|the plant|the site|they|the team) (?:afford|live|keep|go on|carry on|"
        r"cope)": 3.0,
        r"longer (?:can|could|will) ": 3.0,
        # in notes: "asked how long they can keep patching it"
        r"how (?:much )?long(?:er)? (?:[\w']+ ){0,4}(?:can|could|will) (?:[\w']+ ){0,2}"
        r"(?:afford|live|keep|go on|carry on|cope|last|hold out|hold up|survive|stand|absorb|"
        r"carry)": 3.0,
        rf"afford (?:another|one more|to (?:wait|lose|keep|miss|ignore)|(?:\w+ )?{PROBLEM})": 3.5,
        r"(?:live|living|put up) with (?:this|that|it)": 2.5,
        r"(?:how many more|how much more|how long|how much longer) (?:\w+ ){0,3}(?:can|could) "
        r".{0,40}(?:absorb|afford|survive|stand|tolerate|take|cope|last)": 3.0,
        r"before (?:something|it|the \w+) (?:gives|breaks|snaps)": 2.5,
        r"how (?:much )?long(?:er)? (?:will|can|could|would) (?:[\w']+ ){0,4}(?:hold out|hold up|"
        r"last|survive|keep going|hang on)": 3.0,
        r"down the drain|wast(?:e|es|ed|ing)|throw(?:n|s|ing)? away|"
        r"(?:burn|burning) (?:money|cash)": 2.5,
        r"giv(?:e|es|ing) up|miss(?:ing)? out|by (?:keeping|staying|waiting|sticking|not)": 2.5,
    },
)
