"""Coaching sessions: seller, focus, notes, agreed actions."""

from __future__ import annotations
