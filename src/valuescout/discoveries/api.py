"""JSON API of value-scout discoveries and their review."""

from __future__ import annotations

from fastapi import APIRouter

from valuescout.core.web.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/discoveries", tags=["discoveries"], responses=ERROR_RESPONSES)
