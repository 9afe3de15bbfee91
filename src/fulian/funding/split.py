"""Exact splits of money in fen: the arithmetic of every allocation, with no floating point.

`split_fen(total, weights, floors)` gives each part its floor first, then shares what is left in proportion to
the weights by the largest-remainder rule (Hamilton's method): every part gets the whole fen of its exact share
rounded down, and the fen left over go one each to the parts with the largest fractional remainders — ties to
the earlier part (the caller orders parts by their tree path, so the same input always splits the same way). The
parts always sum to `total` exactly. With no weight at all, what is left is split equally by the same rule.
"""

from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

FEN = Decimal("0.01")


class SplitError(ValueError):
    """The floors need more than there is."""


def to_fen(amount: Decimal) -> int:
    return int((amount / FEN).to_integral_value(rounding=ROUND_DOWN))


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) * FEN).quantize(FEN)


def split_fen(total: int, weights: list, floors: list[int] | None = None) -> list[int]:
    n = len(weights)
    if n == 0:
        return []
    floors = floors or [0] * n
    rest = total - sum(floors)
    if rest < 0:
        raise SplitError("floors exceed the total")
    fractions = [Fraction(w) for w in weights]
    if any(w < 0 for w in fractions):
        raise ValueError("weights must not be negative")
    whole = sum(fractions)
    if whole == 0:
        fractions, whole = [Fraction(1)] * n, Fraction(n)
    exact = [rest * w / whole for w in fractions]
    parts = [int(e) for e in exact]  # exact shares are never negative: int() rounds down
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [f + p for f, p in zip(floors, parts, strict=True)]


def percent_of(fen: int, percent: Decimal) -> int:
    """`percent` % of `fen`, rounded down to the fen (what a level keeps: the odd fen goes on down)."""
    return int(Fraction(fen) * Fraction(percent) / 100)
