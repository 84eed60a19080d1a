"""Weighted cues that classify a question, and the qualification cues (the expansion cues
are in `analyzer_lexicon_expansion`). Each cue is a regular expression matched on the
lower-cased question. The weights of the matching cues are summed per category and per kind
(expansion, qualification): the kind with the higher sum wins, then the category with the
highest sum inside that kind; the cue reported is the strongest matching one. A negative
weight speaks against a category (a seller's offer "would it help if we sent you ..." is no
payoff). Without any cue a question checks facts: qualification / situation.

Expansion questions widen the customer's view of the problem and its consequences:
- implication: what a problem leads to (impact, knock-on effects, who else is affected);
- need_payoff: what solving it would be worth or make possible;
- future_state: how things should look (ideal, vision, in two years);
- cost_of_inaction: what staying as is costs (if nothing changes, waiting, every month).
Qualification questions check facts: budget, timeline, authority (who decides/approves) and
situation (installed base, current process, volumes, prices paid today).
"""

from __future__ import annotations

import re

Cue = tuple[str, float, re.Pattern[str]]  # category, weight, pattern

IF = r"(?:if|when|once|whenever|(?:the )?(?:last|next) time|every time|each time)"

# a problem that can cost something (used by the cost and consequence cues)
PROBLEM = (
    r"(?:stop|stops|stoppage|outage|failure|failures|breakdown|trip|trips|delay|delays|"
    r"downtime|leak|leaks|incident|recall|fine|penalty|scrap|rework|bad|lost|late|missed|"
    r"idle|unplanned|emergency|failed|failing)s?"
)


def cues(category: str, weighted: dict[str, float]) -> list[Cue]:
    # the group keeps the word boundaries on every alternative of a pattern
    return [(category, w, re.compile(rf"\b(?:{p})\b")) for p, w in weighted.items()]


QUALIFICATION_CUES: list[Cue] = [
    *cues(
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
            # the price of a thing; a loss has a bearer ("cost you") or a problem word
            r"what (?:does|do|did|would|will) (?!it |that |this |you think )(?:\w+ ){1,5}"
            r"cost(?! you| them| us| the| your| her| him)": 2.0,
            r"how much (?:does|did|do|will|would) (?:a|an|the|one|each) (?:\w+ ){0,5}"
            r"cost(?! you| them| us| the| your| her| him)": 2.0,
            r"what (?:does|do|did|would|will) (?:a|an|one|the) (?:new|replacement|spare) "
            r"[\w -]{1,30}cost": 3.0,
        },
    ),
    *cues(
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
            r"what(?:'s| is| happens| comes) next|next steps?": 2.5,
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
    *cues(
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
            r"(?:who|whom) (?:do|does|did) (?:\w+ ){1,2}report to|chain of command|hierarchy|"
            r"reports? (?:directly )?to (?:the )?(?:cfo|ceo|coo|board|director|vp|gm|"
            r"general manager|plant manager)": 2.5,
            r"(?:involved in|part of) the (?:decision|evaluation|selection)": 2.5,
            r"(?:champion|sponsor|stakeholders?)": 2.0,
            r"(?:make|build) (?:the|a|your|this)(?: business)? case|internally|"
            r"sell (?:it|this) (?:internally|upstairs|to)": 2.5,
            r"(?:your|the) call(?!-)": 1.5,
            r"who (?:would|will|should) (?:be )?(?:review|lead|run|own|manage|the|our|"
            r"responsible)|responsible for|in charge of|project lead|point of contact": 2.5,
            # what would win the decision is a buying criterion
            r"in (?:our|your|their) favou?r|tip the (?:balance|scales)|"
            r"swing (?:it|the decision)": 3.0,
            r"do you (?:decide|have the authority|have authority)": 3.0,
            r"(?:evaluation|selection|approval|buying|purchasing|decision|tender) process": 3.0,
            r"(?:need|want|have) to see (?:from us|before)": 2.5,
            r"(?:approved|signed off)": 1.5,
            r"(?:evaluation|selection|shortlist|tender)": 1.5,
        },
    ),
    *cues(
        "situation",
        {
            r"how many": 1.5,
            # what the customer wants from the seller is a preference, not a future state
            r"(?:would you like|do you want|would you want|want|wants) us to": 2.5,
            r"(?:look|looks) like (?:today|now|at the moment|right now|currently)": 2.5,
            r"how (?:much time|many hours|many days|many people) .{0,40}spend": 3.0,
            r"(?:currently|today|at the moment|right now|these days|at present)": 1.0,
            r"(?:installed|in use|running|using|use)": 0.8,
            r"which (?:brand|brands|pumps?|supplier|suppliers|vendor|vendors|model|models|"
            r"system|systems)": 2.0,
            r"what (?:kind|type|brand|size|make|model)s? of": 2.0,
            r"how old": 2.0,
            # the cause of a problem is a fact to find out, not its consequence
            r"reasons? for|root cause|cause of|what caused|why (?:did|does|do|is|was)": 2.0,
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
            # who does the work today
            r"who (?:looks after|looked after|takes care of|took care of|handles|handled|maintains|"
            r"maintained|services|serviced|repairs|repaired|fixes|fixed|runs|ran|operates|pulls|"
            r"pulled|gets the call|got the call|is on call|does the|did the|answers)": 2.5,
            # what a thing is worth is a fact ("what are those bottles worth"), not a payoff
            r"(?:is|are|was|were) (?:\w+ ){0,3}worth(?! to| for| it)": 2.0,
            r"(?:has|have|got|know|track|keep) (?:\w+ )?(?:numbers|figures|data|records?) "
            r"(?:on|for|about)": 2.5,
            r"walk me through": 0.8,
        },
    ),
]

EXPANSION_SET = frozenset({"implication", "need_payoff", "future_state", "cost_of_inaction"})
