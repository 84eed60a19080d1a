"""HTML pages of willingness-to-engage assessments and the sales-reputation check."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
