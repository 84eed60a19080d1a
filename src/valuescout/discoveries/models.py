"""Value-gap discoveries and their review."""

from __future__ import annotations
