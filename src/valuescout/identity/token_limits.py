"""Rate limits on API token use (ADR 0013), kept in each worker process's memory.

Two budgets:
- failed bearer authentications (unknown, revoked or expired tokens) per client address: after
  `failure_threshold` failures in the window the address gets 429 without a database lookup
  until the oldest failure leaves the window;
- requests per token per minute: a token over its budget gets 429 until a request leaves the
  minute. Refused requests are not counted, so a client that waits gets back in.

With several workers each keeps its own counts: the limits hold per worker process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from valuescout.core.errors import TooManyAttempts
from valuescout.core.ratelimit import Clock, SlidingWindow
from valuescout.core.settings import Settings


class RateLimited(TooManyAttempts):
    """Too many requests or failed tokens; answered with 429 and Retry-After."""

    code = "rate_limited"


@dataclass(frozen=True)
class TokenLimits:
    failure_threshold: int = 20
    failure_window_seconds: int = 300
    requests_per_minute: int = 600

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenLimits:
        return cls(
            failure_threshold=settings.token_failure_threshold,
            failure_window_seconds=settings.token_failure_window_seconds,
            requests_per_minute=settings.token_requests_per_minute,
        )


class TokenGuard:
    def __init__(self, limits: TokenLimits, *, clock: Clock | None = None) -> None:
        tick = clock or time.monotonic
        self.limits = limits
        self.failures = SlidingWindow(
            limits.failure_threshold, limits.failure_window_seconds, clock=tick
        )
        self.requests = SlidingWindow(limits.requests_per_minute, 60, clock=tick)

    def check_address(self, client_ip: str) -> None:
        """Before looking a token up: refuse an address with too many recent failures."""
        wait = self.failures.retry_after(client_ip)
        if wait:
            raise RateLimited(
                f"Too many failed API token attempts from this address. "
                f"Try again in {wait} seconds.",
                retry_after_seconds=wait,
            )

    def failed(self, client_ip: str) -> None:
        self.failures.record(client_ip)

    def spend(self, token_key: str) -> None:
        """One request on a valid token; refuse it when the minute's budget is spent."""
        wait = self.requests.hit(token_key)
        if wait:
            raise RateLimited(
                f"This API token is over its budget of {self.limits.requests_per_minute} "
                f"requests a minute. Try again in {wait} seconds.",
                retry_after_seconds=wait,
            )
