"""Shape a long 公文 title into lines (§7.3.1): 梯形 or 菱形, never splitting a word or a 《…》.

Words that must stay whole come from ``templates/layout/title_words.txt`` (data, editable).
Among the ways to cut the title into the fewest lines that fit, the shape is scored: lines
must be 梯形 (each no longer than the one above) or 菱形 (longest in the middle); cuts inside
a listed word, a 《…》, an ASCII word or between two unlisted characters cost more; lines as
even as the shape allows win.
"""

from __future__ import annotations

import itertools
from functools import cache

from ..resources import template_path
from .text import Measure

_INSIDE_BOOK_TITLE = 1000.0  # cost of a cut inside 《…》
_INSIDE_WORD = 100.0  # cost of a cut inside a listed word or an ASCII run
_UNKNOWN_PAIR = 8.0  # cut between two characters that may form an unlisted word
_BAD_SHAPE = 50.0  # neither 梯形 nor 菱形


@cache
def _lexicon() -> tuple[str, ...]:
    path = template_path("layout", "title_words.txt")
    words = {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return tuple(sorted(words, key=len, reverse=True))


def cut_costs(title: str) -> list[float]:
    """cost[i] = cost of a line break before character i (1 ≤ i < len)."""
    cost = [0.0] * (len(title) + 1)
    protected = [False] * (len(title) + 1)  # True: position i lies inside a listed word
    known = [False] * len(title)
    i = 0
    while i < len(title):
        for word in _lexicon():
            if title.startswith(word, i):
                for k in range(i + 1, i + len(word)):
                    protected[k] = True
                for k in range(i, i + len(word)):
                    known[k] = True
                i += len(word)
                break
        else:
            i += 1
    depth = 0
    for i, ch in enumerate(title):
        if i and depth > 0:
            cost[i] += _INSIDE_BOOK_TITLE
        if i and protected[i]:
            cost[i] += _INSIDE_WORD
        if i and title[i - 1].isascii() and ch.isascii() and ch.isalnum() and title[i - 1].isalnum():
            cost[i] += _INSIDE_WORD
        if i and not known[i - 1] and not known[i] and _cjk(title[i - 1]) and _cjk(ch):
            cost[i] += _UNKNOWN_PAIR
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
    return cost


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def shape_title(title: str, width_pt: float, measure: Measure) -> list[str]:
    """Cut `title` into the fewest lines no wider than `width_pt`, shaped 梯形 or 菱形."""
    title = "".join(title.split())
    if measure(title) <= width_pt:
        return [title]
    costs = cut_costs(title)
    n_lines = 2
    while n_lines <= len(title):
        best = _best_cut(title, n_lines, width_pt, measure, costs)
        if best is not None:
            return best
        n_lines += 1
    return [title]


def _best_cut(
    title: str, n_lines: int, width_pt: float, measure: Measure, costs: list[float]
) -> list[str] | None:
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(range(1, len(title)), n_lines - 1):
        bounds = (0, *cuts, len(title))
        lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
        widths = [measure(line) for line in lines]
        if max(widths) > width_pt:
            continue
        score = sum(costs[c] for c in cuts) + _shape_cost(widths)
        if best is None or score < best[0]:
            best = (score, lines)
    return None if best is None else best[1]


def _shape_cost(widths: list[float]) -> float:
    """0 for a good 梯形/菱形 with even lines; more for lopsided or wrong shapes."""
    longest = max(widths)
    spread = sum((longest - w) / longest for w in widths) / len(widths)
    trapezoid = all(a >= b for a, b in itertools.pairwise(widths)) and widths[0] > widths[-1]
    peak = widths.index(longest)
    diamond = (
        0 < peak < len(widths) - 1
        and all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
        and all(a >= b for a, b in itertools.pairwise(widths[peak:]))
    )
    return spread * 10 + (0.0 if trapezoid or diamond else _BAD_SHAPE)
