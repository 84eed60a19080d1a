"""HTML pages of value-scout discoveries and their review."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
