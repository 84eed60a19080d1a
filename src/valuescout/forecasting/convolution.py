"""Products of many small probability distributions on an integer grid (pure numpy).

A distribution here is ``(offset, masses)``: ``masses[j]`` is the probability of the integer
value ``offset + j``. The sum of independent variables has the convolution of their
distributions; :func:`convolve_all` multiplies them pairwise in a balanced tree (the
one-at-a-time DP recursion reorganised), so the work is about ``total cells x log(n)``
instead of ``n x total cells``. Small pairs are convolved directly, large ones by FFT.

After each product the tails holding less than ``trim`` probability on either side are cut
off: the sum of many deals concentrates, so the arrays stay near the width of the spread
rather than the width of all possible totals. The probability dropped is at most
``2 x trim x (number of products)``, returned so callers can state it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# Below this many cells in the shorter array direct convolution beats the FFT's overhead.
_DIRECT_BELOW = 48


def _next_fast_length(n: int) -> int:
    """The smallest 2^a or 3 * 2^a at least n (pocketfft is fastest on such sizes)."""
    power = 1 << max(0, (n - 1).bit_length())
    three = 3 * (power >> 2)
    return three if three >= n else power


def convolve_pair(first: FloatArray, second: FloatArray) -> FloatArray:
    """The full linear convolution of two mass arrays, negatives from FFT rounding set to 0."""
    if min(first.size, second.size) < _DIRECT_BELOW:
        return np.convolve(first, second)
    size = first.size + second.size - 1
    length = _next_fast_length(size)
    product = np.fft.rfft(first, length) * np.fft.rfft(second, length)
    result = np.fft.irfft(product, length)[:size]
    np.maximum(result, 0.0, out=result)
    return result


def trim_tails(offset: int, masses: FloatArray, trim: float) -> tuple[int, FloatArray, float]:
    """Drop leading and trailing cells whose cumulative mass is at most ``trim``.

    Returns the new offset, the kept masses and the probability dropped.
    """
    if trim <= 0.0 or masses.size < 2 * _DIRECT_BELOW:
        return offset, masses, 0.0
    left = np.cumsum(masses)
    right = np.cumsum(masses[::-1])
    start = int(np.searchsorted(left, trim, side="right"))
    stop = masses.size - int(np.searchsorted(right, trim, side="right"))
    if start == 0 and stop == masses.size:
        return offset, masses, 0.0
    if start >= stop:  # every cell is tiny: keep the heaviest one rather than nothing
        start = int(np.argmax(masses))
        stop = start + 1
    dropped = float(left[start - 1] if start else 0.0) + float(
        right[masses.size - stop - 1] if stop < masses.size else 0.0
    )
    return offset + start, masses[start:stop].copy(), dropped


def convolve_all(
    nodes: list[tuple[int, FloatArray]], trim: float = 0.0
) -> tuple[int, FloatArray, float]:
    """The distribution of the sum of independent grid variables given as ``(offset, masses)``.

    Pairs neighbours of similar width level by level. Returns the offset, the masses and the
    total probability trimmed away (0 when ``trim`` is 0).
    """
    if not nodes:
        return 0, np.ones(1), 0.0
    dropped = 0.0
    level = sorted(nodes, key=lambda node: node[1].size)
    while len(level) > 1:
        merged: list[tuple[int, FloatArray]] = []
        for index in range(0, len(level) - 1, 2):
            (off_a, mass_a), (off_b, mass_b) = level[index], level[index + 1]
            offset, masses, lost = trim_tails(off_a + off_b, convolve_pair(mass_a, mass_b), trim)
            dropped += lost
            merged.append((offset, masses))
        if len(level) % 2:
            merged.append(level[-1])
        level = sorted(merged, key=lambda node: node[1].size)
    offset, masses = level[0]
    return offset, masses, dropped
