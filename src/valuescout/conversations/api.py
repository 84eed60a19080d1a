"""JSON API of call plans, interactions and value-quality metrics."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["conversations"], responses=ERROR_RESPONSES)
