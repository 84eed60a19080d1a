"""JSON API of willingness-to-engage assessments and the sales-reputation check."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["assessments"], responses=ERROR_RESPONSES)
