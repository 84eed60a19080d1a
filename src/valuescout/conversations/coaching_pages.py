"""HTML pages of coaching sessions and their effect."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
