"""HTML pages of call plans, interactions and value-quality metrics."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
