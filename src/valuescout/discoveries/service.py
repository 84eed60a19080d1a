"""Logging and reviewing value-gap discoveries, the product-ideas list and customer voices."""

from __future__ import annotations

from valuescout.discoveries.hints import DiscoveryHint, accepted_for_outcomes

__all__ = ["DiscoveryHint", "accepted_for_outcomes"]
