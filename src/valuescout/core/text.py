"""Text fields from users: limits apply to what was sent, then surrounding spaces are trimmed.

Use as `Annotated[str, Field(min_length=1, max_length=N), TRIMMED]`, so the OpenAPI schema
states the same limits the server enforces on the raw input.
"""

from __future__ import annotations

from pydantic import AfterValidator


def _trimmed_not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    return value


TRIMMED = AfterValidator(_trimmed_not_blank)


def like_escaped(text: str) -> str:
    """The text with SQL LIKE's wildcards taken literally; use with `escape="\\"`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """The text as a CSV cell no spreadsheet will run: formula starts get a leading "'"."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
