"""Customer willingness-to-engage assessments and sales-reputation scorecards."""

from __future__ import annotations
