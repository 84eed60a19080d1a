"""Maturity assessments: rounds, respondents' answers, results."""

from __future__ import annotations
