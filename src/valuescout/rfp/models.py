"""RFP records on opportunities."""

from __future__ import annotations
