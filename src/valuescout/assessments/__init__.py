"""Assessments: value-focus maturity, customer willingness to engage, sales reputation."""
