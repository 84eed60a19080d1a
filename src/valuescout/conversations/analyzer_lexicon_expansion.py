"""Weighted cues of the expansion categories (see `analyzer_lexicon` for how they are used;
future_state and cost_of_inaction are in `analyzer_lexicon_future`).

The cues are grouped in families of wording rather than single phrases, so a question that
says the same thing in other words still finds its category:
- implication: a problem's consequences - impact words, "what does X do to / mean for Y",
  "what happens when", how other people react or are hit, where it leaves someone;
- need_payoff: what a solution is worth or makes possible - value words, help, freed money
  or time and what it would be used for, a hypothetical change ("would X change ..."),
  what it lets someone do.
"""

from __future__ import annotations

from valuescout.conversations.analyzer_lexicon import IF, PROBLEM, Cue, cues
from valuescout.conversations.analyzer_lexicon_future import COST_OF_INACTION, FUTURE_STATE

# money, time or people that a solution frees up
FREED = (
    r"(?:money|savings?|cash|time|hours|days|shifts|capacity|budget|people|headcount|"
    r"engineers|technicians|crew|team|space|margin)"
)
# someone besides the buyer who can react to a problem
PARTY = (
    r"(?:customers?|clients?|retailers?|buyers?|regulators?|inspectors?|insurers?|board|"
    r"management|council|city|authorities|owner|owners|auditors?|patients|residents|public|"
    r"chain|chains|market|director|ceo|cfo|plant manager|shareholders|bank)"
)

IMPLICATION: list[Cue] = cues(
    "implication",
    {
        # impact vocabulary
        r"impact(?:s|ed|ing)?": 2.0,
        r"affect(?:s|ed|ing)?": 2.0,
        r"effects?(?: on| of)": 2.0,
        r"consequences?|implications?|repercussions?|fallout|aftermath": 3.0,
        r"(?:harder|more difficult|tougher|trickier)": 1.5,
        r"make (?:it|things|life|work|that) (?:harder|more difficult|tougher|worse|slower)": 2.5,
        r"make (?:it|that) up|make up for|catch up": 1.5,
        r"look(?:ing)? elsewhere|shop(?:ping)? around|(?:take|taking) (?:their|the) business": 2.5,
        r"how (?:do|does|did|would|will|are|is) (?:[\w']+ ){1,3}(?:feel|feeling) about": 2.5,
        r"knock-?on": 3.0,
        r"(?:lost|lose|losing|loses) (?:\w+ )?to (?:competitors|the competition|rivals|"
        r"others)": 2.5,
        rf"more (?:\w+ )?(?:after|since|because of) (?:\w+ ){{0,3}}{PROBLEM}": 2.0,
        r"ripple": 2.5,
        r"downstream": 2.0,
        r"(?:lead|leads|led|leading) to": 2.0,
        r"result(?:s)? in": 1.5,
        r"(?:turn|turns|turned) into|translat\w* (?:in)?to|spills? (?:over )?into": 2.0,
        r"(?:set|sets) off|sets? (?:\w+ )?in motion": 2.0,
        r"how (?:has|have|did) (?:that|this|it|those|these) (?:\w+ ){0,2}chang\w*": 2.5,
        rf"(?:seeing|getting|having) more (?:\w+ )?{PROBLEM}": 2.0,
        r"where (?:do|does|did|would|will) .{0,50}\bland": 2.5,
        r"play(?:s|ed)? out": 2.5,
        r"(?:feed|feeds|flow|flows|carry|carries|filter|filters) (?:through|over|down) "
        r"(?:in)?to": 2.0,
        r"play(?:s|ed)? (?:with|into)": 2.0,
        r"(?:side effects?|spill over|spills over|chain reaction)": 2.0,
        r"chain of events|domino|snowball\w*|cascad\w*": 2.5,
        r"exposed|exposure|vulnerable|liable|liability": 2.0,
        r"(?:eat|eats|eating|cut|cuts|bite|bites) into|drain on|drag on": 2.5,
        r"(?:stopped|stop|prevented|prevent|kept|keep|held|hold) (?:you|them|the \w+) "
        r"(?:from |back|taking|getting|winning|bidding)": 2.5,
        r"how (?:[\w']+ ){1,3}cope": 2.0,
        r"carr(?:y|ies) the can|on the hook|takes? the (?:blame|heat|hit)|pays? the price|"
        r"answers? for": 2.5,
        r"(?:cause|causes|caused|causing)": 1.5,
        r"at risk|risks? (?:for|to)|in danger|in jeopardy|at stake|under threat|"
        r"threaten\w*|endanger\w*|jeopardi[sz]e\w*": 2.5,
        r"risks?": 1.0,
        # what a problem does to something or someone
        r"what happens (?:to|with|then|downstream|after|when|if)": 2.5,
        r"what (?:happened|happens) (?:to|with)": 2.0,
        r"what happens": 2.0,
        r"(?:does|did|do|would|will) (?:that|this|it) (?:mean|do) (?:for|to)": 2.5,
        r"what (?:does|would|will|did) (?:that|this|it) (?:mean|do)": 2.0,
        r"means? for": 2.0,
        r"(?:mean|means) in terms of": 2.0,
        r"(?:do|does|did|doing) to (?:your|the|their|our|his|her|its|them|you)": 2.5,
        r"how (?:does|did|do) (?:that|this|it|those|these)": 1.5,
        r"(?:where|how) (?:does|did|would) (?:that|this|it) leave": 2.5,
        r"what (?:else )?(?:breaks|stops|fails)": 2.5,
        r"(?:^|, |and |so )then(?=\W*$)|then what": 2.0,
        r"(?:what's|what is) the worst": 2.0,
        r"how (?:bad|serious|big a problem|big an issue|much of a problem)|big (?:a )?deal": 2.0,
        r"shows? (?:up|in|on)": 1.5,
        r"(?:have|has|had) to (?:cancel|stop|shut|turn away|scrap|rent|call in|postpone|dump|"
        r"throw|send \w+ home|evacuate|reschedule)": 2.5,
        r"keeps? (?:you|them|him|her) (?:up|awake) at night|lose sleep|worr(?:y|ies|ied)": 2.0,
        r"lands? with": 2.0,
        r"hurts?|hurting": 1.5,
        r"hits?|hitting": 1.5,
        r"pressure on|pressure (?:\w+ ){0,4}(?:put|puts|putting|places?) on": 2.0,
        r"slow(?:s|ing|ed)? (?:\w+ )?down|(?:holds?|holding) up": 2.0,
        rf"(?:comes?|came|due) (?:from|to) (?:\w+ )?{PROBLEM}": 2.0,
        # what it does to people
        r"wear\w* (?:\w+ ){0,3}down|burn(?:ing|t|ed)? out|morale|stress\w*|strain|"
        r"frustrat\w*|toll on": 2.0,
        r"cop(?:e|es|ing) with|how (?:are|is) (?:\w+ ){1,3}coping|struggl\w*|headaches?|"
        r"nightmare|painful|pain points?|burden|weighs? on|weighing on": 2.0,
        r"(?:create|creates|creating|created|bring|brings|add|adds) (?:\w+ ){0,2}(?:for|to) "
        r"(?:you|them|the|your|their)": 1.5,
        r"(?:comes?|came) out of": 1.5,
        rf"(?:how much|how many|what)\b.{{0,50}}\b(?:each|every|per|a single|one) (?:\w+ )?"
        rf"{PROBLEM}": 1.5,
        r"who (?:has|gets|needs) to (?:explain|apologi[sz]e|tell|deal with|clean up|answer to|"
        r"face|pick up)": 2.5,
        r"anything else": 1.0,
        r"(?:customers?|deliveries|delivery|output|quality|safety|margin|overtime) "
        r"(?:suffer|slip|drop)": 2.0,
        # a problem event as the condition: "when the boiler trips, what ..."
        rf"{IF} (?:\w+ ){{0,5}}(?:happens|fails|failed|trips|tripped|goes down|went down|stops|"
        r"stopped|breaks|broke|leaks|fail|break|trip|leak|stop|is lost|goes (?:badly|wrong)|"
        r"went wrong|is late|runs out|fouls|foul|alarms|goes off|is short|runs short|"
        r"is down|is missed|goes offline|is offline|(?:is|are|get|gets) stuck|sticks|jams|clogs|"
        r"overheats|blocks up)": 2.0,
        r"go(?:es)? wrong|went wrong|goes south|get(?:s|ting)? worse|worsening|deteriorat\w*|"
        r"escalat\w*": 2.0,
        r"(?:started|start|begun|begin|begins) (?:asking|to ask|complaining|to complain|noticing|"
        r"to notice)|picked up on|(?:raised|raising|raise) (?:concerns|eyebrows|questions)": 2.0,
        r"ends? up (?:in|on|with)": 2.0,
        r"complaints?|escalations?|generat(?:e|es|ed|ing)": 1.5,
        r"(?:gets?|got|is|are) (?:delayed|pushed back|cancelled|canceled|dropped|missed|"
        r"held up)": 2.0,
        r"(?:made|make|makes|forced|force|forces) (?:you|them|us|the \w+) (?:miss|lose|cancel|stop|"
        r"delay|turn away|pay|scrap)": 2.5,
        # how other people take it: react, say, accept, notice, pay, get blamed
        r"react(?:s|ed|ion)?": 2.0,
        rf"{PARTY} (?:would |will |might |did )?(?:accept|tolerate|put up with|forgive|"
        r"notice|complain|walk away|leave|respond)": 2.5,
        rf"{PARTY} (?:would|might|will) (?:say|think|do)": 2.5,
        rf"{PARTY} (?:said|say|did|do|think|thought) .{{0,40}}(?:after|when|about) .{{0,20}}"
        rf"{PROBLEM}": 2.5,
        rf"how (?:do|does|did|would|will|are|is|were|was) (?:the |your |their |our )?(?:\w+ )?"
        rf"{PARTY} (?:take|taking|feel|feeling|see|view|react|handle|cope|respond|like)": 2.5,
        r"go(?:es|ing)? down with|(?:sits?|sitting) with": 2.0,
        r"who (?:else )?(?:feels|notices|suffers|pays for|ends up|gets (?:hit|blamed|the blame)|"
        r"is (?:hit|blamed|affected|hurt))": 3.0,
        r"who else (?:is|gets|feels|was) (?:affected|hit|impacted|involved when)": 3.0,
        # problem words lean a question towards its consequences
        r"(?:failure|fails|failed|outage|delay|late|loss|missing|missed|"
        r"breach|finding|spill)": 0.5,
    },
)

NEED_PAYOFF: list[Cue] = cues(
    "need_payoff",
    {
        # value of a solution
        r"(?:what|how much) (?:would|could) (?:it|that|this) (?:be )?worth": 3.0,
        r"(?:would|could|might) [\w' -]{1,40}worth": 2.5,
        r"worth (?:to you|to the|to them|to her|to him|for you|for the|it to)": 2.5,
        r"worth": 1.0,
        r"(?:what|how much) (?:would|could|will) (?:be )?(?:the )?"
        r"(?:value|benefit|difference)": 2.5,
        r"(?:benefit|benefits|payoff|pay off|upside|gain|gains)": 2.0,
        r"(?:value|valuable|useful|helpful) (?:to|for) (?:you|them|her|him|the)": 2.0,
        r"(?:would|could) (?:that|it|this) be (?:valuable|useful|helpful)": 2.5,
        # help and improvement
        r"(?:would|could|might) (?:it|that|this) (?:help|matter|be useful|make a difference)": 3.0,
        r"how (?:would|could|might) (?:it|that|this) help": 3.0,
        r"how (?:would|could|might|will|does) (?:[\w' -]+ ){1,6}help": 2.5,
        r"(?:is|would|will) (?:it|that|this) (?:be )?(?:useful|helpful|valuable|important)": 2.5,
        r"(?:would|could|might) [\w' -]{1,40} (?:improve|solve|fix|ease|simplify)": 2.0,
        r"(?:would|could|will) (?:[\w' -]+ ){1,4}do for": 2.5,
        r"(?:would|could) (?:[\w' -]+ ){1,4}(?:welcome|appreciate|love)": 2.0,
        r"off (?:your|their|his|her|the team's) (?:plate|back|desk|shoulders)|weight off": 2.5,
        r"make (?:\w+ ){0,2}a (?:clear |real |big )?win": 2.5,
        r"how much (?:easier|better|faster|simpler|safer)": 2.5,
        r"how (?:much )?(?!longer|later|sooner|earlier)(?:\w+er|more \w+|less \w+|valuable|useful|"
        r"helpful|different) (?:would|could|will|might)": 2.5,
        r"how (?:would|could) (?:it|that|this) feel": 2.5,
        r"(?:would|could|might) (?:that|it|this) (?:give|get|win|bring) "
        r"(?:you|them|her|him|the)": 2.0,
        # what freed money or time would be used for
        # in notes the order turns round: "asked what she would do with ..."
        r"what (?:would )?(?:you|your team|they|he|she|the team)(?: would)? do with": 2.5,
        r"what (?:would|could) [\w' ]{1,30} do with": 2.5,
        rf"(?:where|what) would (?:that|the|this|those|these|all that|your) "
        rf"(?:\w+ )?{FREED} go": 3.5,
        rf"(?:spend|use|put|invest|reinvest|redeploy) (?:that|the|this|those|these|all that) "
        rf"(?:\w+ )?{FREED}": 2.5,
        rf"(?:would|could) [\w' ]{{1,30}} (?:spend|use|put|invest) (?:\w+ ){{0,3}}{FREED}": 2.5,
        r"(?:would|could) (?:free up|make it easier|make your)": 2.0,
        rf"{FREED} (?:\w+ )?(?:pay|paid|fund|cover) (?:for )?": 2.5,
        r"make (?:you|them|us|the \w+) (?:more|less) \w+|(?:more|less) competitive|"
        r"an edge|competitive edge|stand out": 2.0,
        rf"where (?:[\w' -]+ ){{0,3}}{FREED} (?:would|could) go|{FREED} (?:would|could) be "
        r"(?:spent|used|invested|reinvested|put)": 3.5,
        r"free (?:\w+ )?up": 2.0,
        r"(?:would|could) you (?:save|gain|win|sell|use|take on|offer|bid)": 2.0,
        r"sav(?:e|es|ing) (?:you|them|her|him|us|the team|your team|the \w+) ": 2.5,
        r"how much (?:would|could) you (?:save|gain)": 3.0,
        # what it makes possible
        r"(?:let|allow|enable|help) (?:you|them|her|him|the team|your team)": 2.0,
        r"(?:would|could|will) (?:[\w']+ ){0,4}(?:let|enable)": 2.5,
        r"(?:feel|notice|see|make) (?:the|a|any) (?:real |big )?(?:difference|change|benefit)": 2.5,
        r"(?:would|could) (?:[\w']+ ){1,4}(?:better|easier|calmer|safer|happier|simpler|"
        r"quieter)": 2.0,
        # a hypothetical: "would/could ... if ..." (after the stronger frames above)
        # ("asked if they would ..." is a reported whether, no hypothetical)
        r"(?:would|could)\b.{1,60}\bif\b|(?<!asked )(?<!asking )(?<!wondered )(?<!checked )"
        r"(?<!them )(?<!him )(?<!her )(?<!know )\bif\b.{1,60}\b(?:would|could)": 1.5,
        r"what (?:would|could) (?:it|that|this) (?:mean|allow|let|enable|free)": 2.5,
        r"open(?:s)? up|what (?:would|could) (?:\w+ )?be possible": 2.0,
        # a hypothetical change
        r"(?:would|could|might) (?:[\w' -]{1,50} )?change "
        r"(?:your|the|their|his|her|how|what|anything)": 2.5,
        r"how (?:would|could|might|does|will) (?:[\w' -]+ ){1,5}change": 2.5,
        r"what (?:would|could|might) change|what changes (?:for|then|if|when)": 2.0,
        r"if you could": 2.5,
        r"if (?:we|kestrel|someone) could": 2.0,
        r"if you (?:had|didn't have to|did not have to|no longer had to|never had to)": 2.0,
        r"suppose|supposing|let's say": 2.0,
        r"(?:would|could) [\w' ]{1,30} (?:do|be doing|work on|focus on|spend [\w ]{1,15} on) "
        r"(?:instead|differently|then)": 2.5,
        # a conditional frame ("if the audit took a day, what ...") leans towards a payoff
        r"^(?:and |so |but )?if [^,]{3,80}, (?:what|how|where|who|would|could)": 1.5,
        r"would mean for": 1.5,
        r"(?:why|how) (?:is|would) (?:that|it|this) important": 2.0,
        r"how important (?:is|would|will) (?:it|that|this)": 2.5,
        r"get (?:a)?round to|finally (?:get|do|tackle|start)|catch up on": 2.0,
        r"stop worrying|(?:no longer|never) (?:have to )?worry|peace of mind|"
        r"sleep (?:better|at night)": 2.5,
        r"(?:would|could) (?:[\w']+ ){0,3}(?:move|bring|get) (?:[\w']+ ){0,3}"
        r"(?:forward|closer)": 2.5,
        r"what would [\w' -]{1,40} be like": 2.0,
        r"(?:what|how much|how many|which) (?:\w+ )?(?:would|could) (?:\w+ ){1,3}be able to": 2.5,
        r"make (?:[\w']+ ){0,5}(?:easier|simpler|smoother|quicker|shorter|faster|cheaper|safer|"
        r"any better)": 2.0,
        r"who (?:would|will) (?:notice|benefit|feel|see)": 2.0,
        r"^(?:say|suppose|imagine|let's say) ": 2.0,
        r"spend (?:that|the|this|those) (?:time|hours)": 2.0,
        # words of a solved problem lean a question towards its payoff
        r"(?:smooth|successful|extra|free|easier|without|halved|no longer|back|saved|"
        r"stopped failing|kept running|just kept|zero|no more|never again)": 1.0,
        # a seller's step or the deal as the condition ("if we sent a draft, who ...") is about
        # the process
        r"^(?:and |so )?if (?:we(?! could)|i(?! could)|it goes ahead|this goes ahead|"
        r"you go ahead|approved|you decide|"
        r"the project goes)": -1.5,
        # the seller offering something ("would it help if we sent you ...") is no payoff
        r"(?:would|could|might) (?:it|that) help (?:you )?if (?:we|i) (?:\w+ )?"
        r"(?:gave|give|sent|send|shared|share|prepared|prepare|put together|wrote|write|"
        r"drafted|came|come|joined|set up|walked|showed|ran)": -4.5,
    },
)

EXPANSION_CUES: list[Cue] = [*IMPLICATION, *NEED_PAYOFF, *FUTURE_STATE, *COST_OF_INACTION]
