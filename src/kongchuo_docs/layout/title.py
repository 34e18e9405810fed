"""Shape a long 公文 title into lines (§7.3.1): 梯形 or 菱形, never splitting a word or a 《…》.

Words that must stay whole come from ``templates/layout/title_words.txt`` (data, editable).
Among the ways to cut the title into the fewest lines that fit, the shape is scored: lines
must be 梯形 (each no longer than the one above) or 菱形 (longest in the middle); cuts inside
a listed word, a 《…》, an ASCII word or between two unlisted characters cost more; lines as
even as the shape allows win.
"""

from __future__ import annotations

import functools
import itertools
from functools import cache

from ..resources import template_path
from .text import Measure

_INSIDE_BOOK_TITLE = 1000.0  # cost of a cut inside 《…》
_INSIDE_WORD = 100.0  # cost of a cut inside a listed word or an ASCII run
_UNKNOWN_PAIR = 8.0  # cut between two characters that may form an unlisted word
_BAD_SHAPE = 50.0  # neither 梯形 nor 菱形
_EXTRA_LINE = 30.0  # one line more than the fewest possible


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
    """Cut `title` into lines no wider than `width_pt`, shaped 梯形 or 菱形: the fewest lines,
    or one more where that spares a 《…》 or a word from being cut."""
    title = "".join(title.split())
    if measure(title) <= width_pt:
        return [title]
    costs = cut_costs(title)
    fewest = next(n for n in range(2, len(title) + 1) if measure(title) <= n * width_pt)
    candidates = []
    for n_lines in range(fewest, min(fewest + 2, len(title)) + 1):
        best = _best_cut(title, n_lines, width_pt, measure, costs)
        if best is not None:
            candidates.append((best[0] + _EXTRA_LINE * (n_lines - fewest), best[1]))
    return min(candidates, key=lambda c: c[0])[1] if candidates else [title]


def _best_cut(
    title: str, n_lines: int, width_pt: float, measure: Measure, costs: list[float]
) -> tuple[float, list[str]] | None:
    """Best (score, lines) cutting `title` into `n_lines`: cheap cut positions (between words)
    are tried first; every position only when no cheap cut fits."""
    width = functools.cache(lambda a, b: measure(title[a:b]))
    everywhere = list(range(1, len(title)))
    cheap = [i for i in everywhere if costs[i] < _INSIDE_WORD]
    for positions in (cheap, everywhere):
        best: tuple[float, list[str]] | None = None
        for cuts in itertools.combinations(positions, n_lines - 1):
            bounds = (0, *cuts, len(title))
            widths = [width(a, b) for a, b in itertools.pairwise(bounds)]
            if max(widths) > width_pt:
                continue
            score = sum(costs[c] for c in cuts) + _shape_cost(widths)
            if best is None or score < best[0]:
                best = (score, [title[a:b] for a, b in itertools.pairwise(bounds)])
        if best is not None:
            return best
    return None


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
