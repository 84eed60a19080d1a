"""Call plans and interactions (with their value-quality parts)."""

from __future__ import annotations
