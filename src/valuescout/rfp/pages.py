"""HTML pages of RFP records and RFP-engagement analysis."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
