"""JSON API of the maturity assessment."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/assessments", tags=["assessments"], responses=ERROR_RESPONSES)
