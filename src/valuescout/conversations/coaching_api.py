"""JSON API of coaching sessions and their effect."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/coaching", tags=["coaching"], responses=ERROR_RESPONSES)
