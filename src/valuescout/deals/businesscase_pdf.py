"""The business case as a PDF: the page's HTML, printed by WeasyPrint, with no network access.

The HTML carries its stylesheet inline and draws its chart as inline SVG, so the document needs
nothing from outside; the URL fetcher refuses every request WeasyPrint might still make (an
image or stylesheet URL slipped into user text, say), so rendering never reaches the network
or the file system.
"""

from __future__ import annotations

from typing import Any, NoReturn

import weasyprint  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]


class RefusingFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches nothing: every URL is refused (and remembered, for tests)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> NoReturn:
        self.refused.append(url)
        raise ValueError(f"the business case loads nothing from outside: {url[:80]}")


def render_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """The PDF of a self-contained HTML document."""
    document = weasyprint.HTML(string=html, url_fetcher=fetcher or RefusingFetcher())
    pdf: bytes = document.write_pdf()
    return pdf
