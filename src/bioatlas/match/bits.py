"""Sets of small integers kept as Python ints (bit i set: item i is in), for indices worked out once per kb."""

from __future__ import annotations


def first_bits(mask: int, n: int) -> list[int]:
    """The positions of the lowest `n` bits set, in order."""
    out: list[int] = []
    while mask and len(out) < n:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
