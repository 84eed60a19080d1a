"""HTML pages of the maturity assessment."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
