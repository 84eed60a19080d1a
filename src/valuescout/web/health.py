"""Liveness for load balancers and `make demo`: answers without signing in, reveals nothing."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from valuescout import __version__
from valuescout.core.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["health"])


class HealthOut(BaseModel):
    status: str
    version: str


@router.get("/health", response_model=HealthOut, summary="Is the app up and its database reachable")
def health(session: DbSession) -> HealthOut:
    session.execute(text("SELECT 1"))
    return HealthOut(status="ok", version=__version__)
