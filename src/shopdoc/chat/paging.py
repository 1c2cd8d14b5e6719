"""Spreading a report over as few messages as each platform's size limit allows.

Pieces are never split and never reordered, so a message can only end between two findings (never
inside a multi-byte character, an escape or a markup construct) and the most urgent findings fill
message 1. Whether a run of pieces fits is asked of the platform, which builds the real payload
(JSON envelope and page mark included) and measures it the way the platform does.
"""

from __future__ import annotations

from typing import Callable, Sequence

from shopdoc.chat.layout import Piece, longest_text

# fits(pieces, page, pages): would one message holding these pieces, marked page/pages, be accepted?
Fits = Callable[[Sequence[Piece], int, int], bool]


def paginate(pieces: Sequence[Piece], fits: Fits) -> list[list[Piece]]:
    """Greedy packing in report order, with room reserved for the widest page mark.

    Packing assumes marks as wide as `(9/9)`; if that makes more than nine messages it packs again
    assuming `(99/99)`, and so on, so the real marks are never wider than the room kept for them.
    A single message carries no mark at all, which only makes it smaller.
    """
    digits = 1
    while True:
        widest = 10 ** digits - 1
        pages = _pack(list(pieces), lambda run: fits(run, widest, widest))
        if len(pages) <= widest:
            return pages
        digits += 1


def _pack(pieces: list[Piece], fits: Callable[[Sequence[Piece]], bool]) -> list[list[Piece]]:
    pages: list[list[Piece]] = []
    start = 0
    while start < len(pieces):
        if not fits(pieces[start:start + 1]):
            pieces[start] = shorten(pieces[start], fits)
        count = _most_that_fit(pieces, start, fits)
        pages.append(pieces[start:start + count])
        start += count
    return pages


def _most_that_fit(pieces: list[Piece], start: int, fits: Callable[[Sequence[Piece]], bool]) -> int:
    """The largest run from `start` that fits (at least 1): gallop, then bisect. Adding a piece only
    ever makes a message bigger, so the answer is a clean boundary."""
    remaining = len(pieces) - start
    good, bad = 1, None
    probe = 2
    while probe <= remaining:
        if fits(pieces[start:start + probe]):
            good, probe = probe, probe * 2
        else:
            bad = probe
            break
    if bad is None:
        if good == remaining or fits(pieces[start:start + remaining]):
            return remaining
        bad = remaining
    while bad - good > 1:
        middle = (good + bad) // 2
        if fits(pieces[start:start + middle]):
            good = middle
        else:
            bad = middle
    return good


def shorten(piece: Piece, fits: Callable[[Sequence[Piece]], bool]) -> Piece:
    """A piece too big for a message of its own (a review pasted in full) loses the end of its text,
    marked with an ellipsis: as much as fits is kept."""
    low, high = 0, longest_text(piece)
    if not fits([piece.shortened(low)]):
        raise ValueError("a message header alone exceeds the platform's size limit")
    while high - low > 1:
        middle = (low + high) // 2
        if fits([piece.shortened(middle)]):
            low = middle
        else:
            high = middle
    return piece.shortened(low)
