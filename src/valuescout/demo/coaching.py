"""The demo company's coaching."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from valuescout.demo.generator import DemoCompany


def seed_coaching(session: Session, demo: DemoCompany) -> None:
    """Added by the step's owner."""
