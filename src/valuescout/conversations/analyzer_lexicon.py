"""Weighted cues that classify a question. Each cue is a regular expression matched on the
lower-cased question; a question's category is the one with the highest summed weight, and
the cue reported is the strongest matching one. Without any cue a question checks facts:
qualification / situation.

Expansion questions widen the customer's view of the problem and its consequences:
- implication: what a problem leads to (impact, knock-on effects, who else is affected);
- need_payoff: what solving it would be worth or make possible;
- future_state: how things should look (ideal, vision, in two years);
- cost_of_inaction: what staying as is costs (if nothing changes, waiting, every month).
Qualification questions check facts: budget, timeline, authority (who decides/approves) and
situation (installed base, current process, volumes).
"""

from __future__ import annotations

import re

Cue = tuple[str, float, re.Pattern[str]]  # category, weight, pattern


def _cues(category: str, weighted: dict[str, float]) -> list[Cue]:
    return [(category, w, re.compile(rf"\b{p}\b")) for p, w in weighted.items()]


_IF = r"(?:if|when|once|whenever)"
CUES: list[Cue] = [
    *_cues(
        "implication",
        {
            r"impact(?:s|ed)?": 2.0,
            r"affect(?:s|ed|ing)?": 2.0,
            r"effects?(?: on| of)": 2.0,
            r"consequences?": 2.5,
            r"knock-?on": 2.5,
            r"ripple": 2.5,
            r"downstream": 2.0,
            r"lead(?:s)? to": 2.0,
            r"result(?:s)? in": 1.5,
            r"what happens (?:to|with|next|then|downstream|after|when|if)": 2.5,
            r"what (?:happened|happens) (?:to|with)": 2.0,
            r"(?:does|did|do) (?:that|this|it) (?:mean|do) (?:for|to)": 2.5,
            r"what does (?:that|this|it) (?:mean|do)": 2.0,
            r"how (?:does|did|do) (?:that|this|it|those|these)": 1.5,
            r"who else (?:is|gets|feels|was) (?:affected|hit|impacted|involved when)": 3.0,
            r"who (?:feels|gets hit|suffers|pays for)": 2.5,
            r"(?:cause|causes|caused|causing)": 1.5,
            r"hurts?": 1.5,
            r"pressure on": 1.5,
            r"(?:customers?|deliveries|delivery|output|quality|safety|margin|overtime) "
            r"(?:suffer|slip|drop)": 2.0,
            rf"{_IF} (?:that|this|it|a pump|the pump|the line|a line) "
            r"(?:happens|fails|trips|goes down|stops|breaks)": 2.0,
            r"(?:side effects?|spill over|spills over|chain reaction)": 2.0,
            r"how (?:bad|serious|big a problem)": 1.5,
            r"mean for": 2.0,
            r"(?:do|does|did|doing) to (?:your|the|their|our|his|her|its|them|you)": 2.5,
            r"what (?:else )?(?:breaks|stops|fails)": 2.5,
            r"(?:^|, |and |so )then\??$|then what": 2.0,
            r"what happens": 2.0,
            r"shows? up": 1.5,
            r"lands? with": 2.0,
            r"react(?:s|ed)?": 2.0,
            r"anything else": 1.0,
            r"hits?": 1.5,
            # problem words lean a question towards its consequences
            r"(?:failure|fails|failed|outage|delay|late|loss|missing|missed|"
            r"breach|finding|spill)": 0.5,
        },
    ),
    *_cues(
        "need_payoff",
        {
            r"(?:would|could|might) (?:it|that|this) (?:help|matter|be useful|"
            r"make a difference)": 3.0,
            r"how (?:would|could|might) (?:it|that|this) help": 3.0,
            r"(?:what|how much) (?:would|could) (?:it|that|this) (?:be )?worth": 3.0,
            r"worth (?:to you|to the|for you|for the)": 2.5,
            r"what (?:would|could) (?:it|that|this) (?:mean|allow|let|enable|free)": 2.5,
            r"what would (?:you|your team|they) do with": 2.5,
            r"(?:benefit|benefits|payoff|pay off|pay back|payback)": 2.0,
            r"(?:would|could) you (?:save|gain|win|sell|use)": 2.0,
            r"how much (?:would|could) you (?:save|gain)": 3.0,
            r"(?:value|useful|helpful) (?:to|for) you": 2.0,
            r"if you could": 2.5,
            r"if (?:we|kestrel|someone) could": 2.0,
            r"if you (?:had|didn't have to|did not have to|no longer had to|never had to)": 2.0,
            r"what would change": 2.0,
            r"(?:would|could) (?:free up|make it easier|make your)": 2.0,
            r"(?:why|how) (?:is|would) (?:that|it|this) important": 2.0,
            r"what would (?:it|that) be like": 1.0,
            r"what would [\w' ]{1,30} do with": 2.5,
            r"worth": 2.0,
            r"spend (?:that|the|this|those) (?:time|hours)": 2.0,
            r"would (?:it|that|this) do for": 2.5,
            r"makes? (?:this|it|that) a (?:clear |real |big )?win": 2.5,
            r"how much (?:easier|better|faster|simpler|safer)": 2.5,
            r"(?:let|allow|enable|help) (?:you|them|the team|your team)": 2.0,
            r"would mean for": 1.5,
            # words of a solved problem lean a question towards its payoff
            r"(?:smooth|successful|extra|free|easier|without|halved|no longer|back|saved|"
            r"stopped failing|kept running|just kept)": 1.0,
        },
    ),
    *_cues(
        "future_state",
        {
            r"ideal(?:ly)?": 3.0,
            r"vision": 3.0,
            r"(?:look|looks) like": 1.5,
            r"(?:would|will|should) (?:success|good|a win|great|it) look like": 3.0,
            r"success": 1.5,
            r"in (?:an? )?(?:perfect|ideal) world": 3.0,
            r"imagine": 2.5,
            r"picture": 1.5,
            r"dream": 2.5,
            r"magic wand": 3.0,
            r"(?:in|within|over the next) (?:two|three|four|five|ten|\d+) years?": 1.5,
            r"years? (?:out|from now)|in a year's time|a year from now": 2.0,
            r"would (?:you|they|he|she|we) (?:like|want) (?:[\w']+ ){0,8}to (?:be|look)": 2.5,
            r"(?:want|like) (?:[\w']+ ){0,3}to be able to": 2.0,
            r"what would (?:have to|need to) be true": 3.0,
            r"if we (?:sat|met|spoke|talked) (?:here )?again": 2.5,
            r"how (?:she|he|they|you|we) would like": 2.0,
            r"where (?:do|would|does) (?:you|they|he|she) want": 2.5,
            r"design .{0,40}from scratch|start(?:ed)? from scratch|blank sheet": 2.5,
            r"(?:five|three|two|5|3|2)[- ]years?": 1.0,
            r"(?:future|long term|long-term|roadmap|ambition|ambitions|aspire|aspiration)": 2.0,
            r"where do you (?:want|see|hope|need)": 2.5,
            r"where (?:would|should) (?:you|the plant|the site) (?:like to )?be": 2.5,
            r"what (?:would|should) (?:good|best|great|world[- ]class)": 2.5,
            r"(?:target state|end state|to-be|best case)": 2.5,
            r"what (?:are|is) (?:you|your team|the plant|the site) (?:aiming|striving|"
            r"working) (?:for|towards?)": 2.0,
            r"how would you like": 2.0,
            r"(?:goal|goals) (?:for|is|are)": 1.5,
        },
    ),
    *_cues(
        "cost_of_inaction",
        {
            r"if (?:nothing|none of this|it) (?:changes|stays|stayed|changed)": 3.5,
            r"(?:do|did|does) nothing": 3.5,
            r"doing nothing": 3.5,
            r"(?:stay|stays|staying|keep|keeps|keeping|leave|leaving) (?:it |things |everything )?"
            r"(?:as is|as it is|the same|like this|going like this|running like this|"
            r"as they are)": 3.0,
            r"cost of (?:waiting|delay|delaying|inaction|not acting|doing nothing|"
            r"the status quo)": 4.0,
            r"status quo": 2.5,
            r"(?:wait|waiting|delay|delaying|postpone|postponing|put off|push(?:ed)? (?:it|this) "
            r"(?:back|out)) (?:costs?|another|a year|a quarter|six months|until|till)": 3.0,
            r"(?:every|each|per) (?:hour|day|week|month|shift|quarter|year) (?:that|of|the|you|"
            r"it)": 2.0,
            r"(?:cost|costs|costing|lose|losing|lost) (?:you|the plant|the site|the business|"
            r"the company)": 2.5,
            r"how much (?:does|did|do|is|are|would) .{0,40}(?:cost|costing|losing|lose)": 2.5,
            r"what (?:does|did|do|is|would) .{0,40}(?:cost|costing)": 2.0,
            r"if you (?:don't|do not|didn't|did not|never) (?:fix|act|change|solve|address|"
            r"replace|upgrade|do)": 3.0,
            r"(?:not fixing|not solving|not acting|not changing|not replacing)": 3.0,
            r"what (?:if|happens if) (?:you|we) wait": 3.0,
            r"how long can (?:you|the plant|the site) (?:afford|live|keep)": 3.0,
            r"(?:postpon|delay|wait|push|put)\w* .{0,40}cost": 3.0,
            r"what (?:would|will) .{0,40}cost": 2.0,
            r"(?:another|next) (?:year|winter|summer|quarter) (?:of|like)": 2.5,
        },
    ),
    *_cues(
        "budget",
        {
            r"budget(?:s|ed|ing)?": 3.0,
            r"fund(?:s|ed|ing)?": 2.5,
            r"(?:capex|opex|capital request|purchase order|po)": 2.5,
            r"price range": 3.0,
            r"afford": 2.0,
            r"allocat(?:e|ed|ion)": 2.0,
            r"(?:set aside|earmarked|money for|spend on|spending on|plan to spend|"
            r"planning to spend)": 2.5,
            r"how much (?:are|were|is|have) (?:you|they|the plant|the site|the team) "
            r"(?:planning|willing|looking|hoping|expecting|able)": 3.0,
            r"(?:paid|pay|paying) (?:for|from|out of)": 1.5,
            r"(?:cost centre|cost center|which account|financ(?:e|ed|ing))": 2.0,
            r"(?:ballpark|investment envelope|envelope)": 2.5,
            r"(?:quote|quotation|pricing)": 1.5,
            r"payback (?:period|time)": 3.0,
            r"range": 1.5,
            r"money": 2.0,
            r"paid for": 2.5,
            r"invest(?:ment)?": 1.5,
            r"price": 2.0,
        },
    ),
    *_cues(
        "timeline",
        {
            r"when (?:do|does|did|would|will|are|is|can|could|should|must)": 2.0,
            r"by when": 3.0,
            r"timeline": 3.0,
            r"time ?frame|time ?line|timing": 3.0,
            r"deadline": 3.0,
            r"(?:start date|go-live|go live|cut-?over|kick-?off|commissioning date)": 2.5,
            r"(?:schedule|scheduled)": 2.0,
            r"how soon": 3.0,
            r"(?:point|time) in the year": 2.5,
            r"makes? (?:most )?sense to (?:switch|start|move|change|order|buy)": 2.0,
            r"window": 1.5,
            r"which (?:quarter|month|week|year)": 3.0,
            r"(?:this|next) (?:quarter|year|fiscal year|month)": 1.0,
            r"(?:before|by) (?:the )?(?:end of|year end|shutdown|turnaround|outage|summer|"
            r"winter)": 1.5,
            r"(?:decide|decision|sign|order|install|start|move) (?:by|before|in) ": 1.5,
            r"planned (?:shutdown|stop|outage|turnaround)": 1.5,
            r"how long (?:will|would|does) (?:the )?(?:decision|approval|process|evaluation|"
            r"tender|trial)": 2.5,
        },
    ),
    *_cues(
        "authority",
        {
            r"who (?:else )?(?:signs|sign|decides|decide|approves|approve|owns|has the final|makes|"
            r"has to agree|needs to agree|gets a vote|is involved|will be involved|"
            r"should be involved|"
            r"should we|do we need|else needs|holds)": 3.0,
            r"who else": 2.0,
            r"who (?:besides|apart from|other than)": 3.0,
            r"(?:a|any) say": 2.5,
            r"against (?:the idea|it|this)|veto|block": 2.0,
            r"decisions? (?:gets?|got|is|was|are|were) made": 3.0,
            r"decision": 1.5,
            r"(?:get|gets|got) involved|involved": 1.5,
            r"briefed": 2.0,
            r"decision[- ]?(?:maker|makers|making|process)": 3.0,
            r"(?:sign-?off|signs? off|final say|final word|approval|approve|approves|"
            r"approver)": 2.5,
            r"(?:procurement|purchasing|board|steering committee|committee)": 1.5,
            r"(?:your|the) (?:boss|manager|director|cfo|ceo|coo|vp)": 1.0,
            r"(?:report to|reports to|chain of command|hierarchy)": 2.5,
            r"(?:involved in|part of) the (?:decision|evaluation|selection)": 2.5,
            r"(?:champion|sponsor|stakeholders?)": 2.0,
            r"(?:your|the) call": 1.5,
            r"do you (?:decide|have the authority|have authority)": 3.0,
        },
    ),
    *_cues(
        "situation",
        {
            r"how many": 1.5,
            r"(?:currently|today|at the moment|right now|these days|at present)": 1.0,
            r"(?:installed|in use|running|using|use)": 0.8,
            r"which (?:brand|brands|pumps?|supplier|suppliers|vendor|vendors|model|models|"
            r"system|systems)": 2.0,
            r"what (?:kind|type|brand|size|make|model)s? of": 2.0,
            r"how old": 2.0,
            r"(?:do|does|did) you (?:have|run|use|operate|keep|track|measure|monitor|log|own|"
            r"stock)": 1.5,
            r"how (?:do|does) (?:you|your team|the site|the plant) (?:handle|manage|do|track|"
            r"deal)": 1.2,
            r"(?:current|existing) (?:setup|set-up|process|contract|supplier|system|pumps?|"
            r"fleet|vendor)": 1.5,
            r"how often": 1.0,
            r"(?:who|which company|which vendor) (?:services|maintains|supplies)": 2.0,
            r"what (?:is|are|was|were) (?:your|the) (?:current|existing|typical|average|main)": 1.2,
            r"tell me (?:about|how)": 0.8,
            r"walk me through": 0.8,
        },
    ),
]

EXPANSION_SET = frozenset({"implication", "need_payoff", "future_state", "cost_of_inaction"})
