"""The deals vocabulary: the closed lists a deal's fields take, with the labels users see."""

from __future__ import annotations

from enum import StrEnum


class BuyingRole(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    USER = "user"
    BLOCKER = "blocker"
    UNKNOWN = "unknown"


class DealType(StrEnum):
    NEW = "new"
    EXPANSION = "expansion"
    RENEWAL = "renewal"


class AlternativeKind(StrEnum):
    """The customer's next-best alternative if we did not exist."""

    COMPETITOR = "competitor"
    DIY = "diy"  # build it themselves
    STATUS_QUO = "status_quo"  # do nothing
    UNKNOWN = "unknown"


class RfpClass(StrEnum):
    """How involved we were in a request for proposal, if there is one."""

    NONE = "none"  # no RFP in this deal
    UNKNOWN_BEFORE_RECEIPT = "unknown"  # we learned of it when it arrived
    KNOWN_NOT_CONTENTS = "known"  # knew it was coming, not what it would say
    CONTENTS_KNOWN = "contents"  # knew the contents, did not shape them
    SHAPED = "shaped"  # helped shape it before release


class StageOutcome(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


BUYING_ROLE_LABELS = {
    BuyingRole.ECONOMIC_BUYER: "Economic buyer",
    BuyingRole.CHAMPION: "Champion",
    BuyingRole.INFLUENCER: "Influencer",
    BuyingRole.USER: "User",
    BuyingRole.BLOCKER: "Blocker",
    BuyingRole.UNKNOWN: "Role not known",
}
DEAL_TYPE_LABELS = {
    DealType.NEW: "New",
    DealType.EXPANSION: "Expansion",
    DealType.RENEWAL: "Renewal",
}
ALTERNATIVE_LABELS = {
    AlternativeKind.COMPETITOR: "A competitor",
    AlternativeKind.DIY: "Do it themselves",
    AlternativeKind.STATUS_QUO: "Status quo (do nothing)",
    AlternativeKind.UNKNOWN: "Not known yet",
}
RFP_LABELS = {
    RfpClass.NONE: "No RFP",
    RfpClass.UNKNOWN_BEFORE_RECEIPT: "Unknown before receipt",
    RfpClass.KNOWN_NOT_CONTENTS: "Known, contents unknown",
    RfpClass.CONTENTS_KNOWN: "Contents known, not shaped",
    RfpClass.SHAPED: "Shaped before release",
}
HISTORY_FIELDS = ("stage", "amount", "close_date")
