"""Process-wide caches as the app runs them (the suite runs them `inline`), for a test that
checks what they share: emptied before and after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import pytest


class Cache(Protocol):
    inline: bool

    def clear(self) -> None: ...


@contextmanager
def sharing(monkeypatch: pytest.MonkeyPatch, *caches: Cache) -> Iterator[None]:
    for cache in caches:
        monkeypatch.setattr(cache, "inline", False)
        cache.clear()
    try:
        yield
    finally:
        for cache in caches:
            cache.clear()
