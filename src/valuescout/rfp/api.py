"""JSON API of RFP records and RFP-engagement analysis."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/rfps", tags=["rfp"], responses=ERROR_RESPONSES)
