"""Shape a long 公文 title into lines (§7.3.1): 梯形 or 菱形, never splitting a word or a 《…》.

Words that must stay whole come from ``templates/layout/title_words.txt`` (data, editable).
Among the ways to cut the title into the fewest lines that fit, the shape is scored: lines
must be 梯形 (each no longer than the one above) or 菱形 (longest in the middle); cuts inside
a listed word, a 《…》, a 文号, an ASCII word or between two unlisted characters cost more, and
so does a last line of a lone "的通知"; lines as even as the shape allows win.

The best cut is found by dynamic programming over break points (time linear in the title
length times the characters per line), not by trying every combination of cuts. The score is
``Σ cut costs + 10 × spread + shape penalty`` where ``spread = 1 − Σwidths / (lines × longest)``:
with additive widths it depends only on the longest line, which is the first line of a 梯形 and
the peak of a 菱形, so a monotone run of lines can be optimised one line at a time. Equal scores
go to the earliest cuts.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from ..files.resources import template_path
from .text import Measure

_INSIDE_BOOK_TITLE = 1000.0  # cost of a cut inside 《…》
_INSIDE_WORD = 100.0  # cost of a cut inside a listed word, a 文号 or an ASCII run
_UNKNOWN_PAIR = 8.0  # cut between two characters that may form an unlisted word
_BAD_SHAPE = 50.0  # neither 梯形 nor 菱形
_EXTRA_LINE = 30.0  # one line more than the fewest possible
_SHORT_LAST_LINE = 60.0  # a last line of fewer than `_SHORT_LAST_CHARS` characters ("的通知" alone)
_SHORT_LAST_CHARS = 4
_EVEN_WEIGHT = 1.0  # lines of like length among shapes of one longest line (spread ties them)
_SPREAD_WEIGHT = 10.0
_DOC_NUMBER = re.compile(r"[〔\[［]\d{4}[〕\]］]\d+号")  # year and number of a 文号
_AGENCY_CODE_CHARS = 6  # longest 机关代字 kept with its 〔年份〕序号
_TIE = 1e-9  # scores closer than this are equal (float sums in different orders)

Key = tuple[float, tuple[int, ...]]  # (score, cut positions): smaller is better


@cache
def _lexicon() -> tuple[str, ...]:
    path = template_path("layout", "title_words.txt")
    words = {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _lexicon_by_first() -> dict[str, tuple[str, ...]]:
    by_first: dict[str, list[str]] = {}
    for word in _lexicon():
        by_first.setdefault(word[0], []).append(word)
    return {k: tuple(v) for k, v in by_first.items()}


def cut_costs(title: str) -> list[float]:
    """cost[i] = cost of a line break before character i (1 ≤ i < len)."""
    cost = [0.0] * (len(title) + 1)
    protected = [False] * (len(title) + 1)  # True: position i lies inside a listed word or 文号
    known = [False] * len(title)
    by_first = _lexicon_by_first()
    i = 0
    while i < len(title):
        for word in by_first.get(title[i], ()):
            if title.startswith(word, i):
                for k in range(i + 1, i + len(word)):
                    protected[k] = True
                for k in range(i, i + len(word)):
                    known[k] = True
                i += len(word)
                break
        else:
            i += 1
    for match in _DOC_NUMBER.finditer(title):
        start = match.start()  # the 机关代字 before it: the unlisted characters, up to 6
        while start > 0 and match.start() - start < _AGENCY_CODE_CHARS and _cjk(title[start - 1]) \
                and not known[start - 1]:
            start -= 1
        for k in range(max(1, start + 1), match.end()):
            protected[k] = True
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
    best: Key | None = None
    everywhere = frozenset(range(1, len(title)))
    cheap = frozenset(i for i in everywhere if costs[i] < _INSIDE_WORD)
    lines = _fitting_lines(title, width_pt, measure)
    total = measure(title)
    for n_lines in range(fewest, min(fewest + 2, len(title)) + 1):
        found = None
        for allowed in (cheap, everywhere):
            found = _Cutter(title, width_pt, lines, total, costs, allowed, n_lines).best()
            if found is not None:
                break
        if found is not None:
            key = (found[0] + _EXTRA_LINE * (n_lines - fewest), found[1])
            if best is None or key[0] < best[0] - _TIE:
                best = key
    if best is None:
        return [title]
    bounds = (0, *best[1], len(title))
    return [title[a:b] for a, b in itertools.pairwise(bounds)]


def _fitting_lines(title: str, width_pt: float, measure: Measure) -> list[list[tuple[int, float]]]:
    """For each start a: the (end b, width pt) of every line title[a:b] no wider than `width_pt`,
    b ascending (each line is measured once: shaping a whole line is what the writers draw)."""
    out = []
    for a in range(len(title)):
        row = []
        for b in range(a + 1, len(title) + 1):
            w = measure(title[a:b])
            if w > width_pt:
                break
            row.append((b, w))
        out.append(row)
    return out


def _better(a: Key | None, b: Key | None) -> Key | None:
    """The smaller of two keys (None: no solution); scores within `_TIE` compare by cuts."""
    if a is None:
        return b
    if b is None:
        return a
    if abs(a[0] - b[0]) <= _TIE:
        return a if a[1] <= b[1] else b
    return a if a[0] < b[0] else b


def _plus(key: Key | None, cost: float, cuts: tuple[int, ...], after: bool) -> Key | None:
    if key is None:
        return None
    return (key[0] + cost, key[1] + cuts if after else cuts + key[1])


def _prefix_best(keys: list[Key | None]) -> list[Key | None]:
    out: list[Key | None] = []
    best: Key | None = None
    for key in keys:
        best = _better(best, key)
        out.append(best)
    return out


@dataclass
class _Cutter:
    """The best cut of `title` into exactly `n` lines with breaks only at `allowed` positions."""

    title: str
    width_pt: float
    lines: list[list[tuple[int, float]]]  # from `_fitting_lines`
    total: float  # width of the whole title, pt
    costs: list[float]
    allowed: frozenset[int]
    n: int

    def __post_init__(self) -> None:
        size = len(self.title)
        # ends[a]: the ends b of the lines title[a:b] that fit, widths ascending with b
        self.ends: list[list[int]] = []
        self.widths: list[list[float]] = []
        for row in self.lines:
            kept = [(b, w) for b, w in row if b == size or b in self.allowed]
            self.ends.append([b for b, _ in kept])
            self.widths.append([w for _, w in kept])
        self.width = {(a, b): w for a in range(size) for b, w in zip(self.ends[a], self.widths[a], strict=True)}
        # starts[b]: the starts a of the lines title[a:b], sorted by width ascending
        starts: list[list[tuple[float, int]]] = [[] for _ in range(size + 1)]
        for (a, b), w in self.width.items():
            starts[b].append((w, a))
        self.starts = [sorted(s, key=lambda t: (t[0], -t[1])) for s in starts]

    def line_cost(self, a: int, b: int) -> float:
        """Unevenness of the line title[a:b] (squared distance from the mean line, in lines), plus
        `_SHORT_LAST_LINE` for a last line too short to stand alone."""
        size = len(self.title)
        uneven = _EVEN_WEIGHT * ((self.width[a, b] - self.total / self.n) / self.width_pt) ** 2
        return uneven + (_SHORT_LAST_LINE if b == size and size - a < _SHORT_LAST_CHARS else 0.0)

    def spread(self, longest: float) -> float:
        return _SPREAD_WEIGHT * (1 - self.total / (self.n * longest))

    def best(self) -> Key | None:
        good = self.best_good_shape()
        return _better(good, self.best_any_shape(good))

    # -- 梯形 and 菱形

    def descending(self) -> tuple[list[dict], list[dict]]:
        """Per line k: {(a, b): key} for lines k…n−1 with line k = title[a:b], widths never
        growing; the second table only where some line is narrower than the one above."""
        size = len(self.title)
        any_: list[dict] = [{} for _ in range(self.n)]
        strict: list[dict] = [{} for _ in range(self.n)]
        for a in range(size):
            if self.ends[a] and self.ends[a][-1] == size:
                any_[-1][(a, size)] = (self.line_cost(a, size), ())
        for k in range(self.n - 2, -1, -1):
            prefix_any = {b: _prefix_best([any_[k + 1].get((b, c)) for c in self.ends[b]]) for b in range(size)}
            prefix_strict = {b: _prefix_best([strict[k + 1].get((b, c)) for c in self.ends[b]])
                             for b in range(size)}
            for (a, b), w in self.width.items():
                if b == size:
                    continue
                le = bisect_right(self.widths[b], w + _TIE)
                lt = bisect_left(self.widths[b], w - _TIE)
                cut = self.costs[b] + self.line_cost(a, b)
                same = _plus(prefix_any[b][le - 1], cut, (b,), after=False) if le else None
                narrower = _plus(prefix_any[b][lt - 1], cut, (b,), after=False) if lt else None
                deeper = _plus(prefix_strict[b][le - 1], cut, (b,), after=False) if le else None
                if same is not None:
                    any_[k][(a, b)] = same
                s = _better(narrower, deeper)
                if s is not None:
                    strict[k][(a, b)] = s
        return any_, strict

    def ascending(self) -> tuple[list[dict], list[dict]]:
        """Per line k: {(a, b): key} for lines 0…k with line k = title[a:b], widths never
        shrinking; the second table only where line k is wider than line k−1 (a 菱形's peak)."""
        any_: list[dict] = [{} for _ in range(self.n)]
        rising: list[dict] = [{} for _ in range(self.n)]
        for b in self.ends[0]:
            any_[0][(0, b)] = (self.line_cost(0, b), ())
        keys = [[w for w, _ in self.starts[a]] for a in range(len(self.title) + 1)]
        for k in range(1, self.n):
            prefix = [_prefix_best([any_[k - 1].get((p, a)) for _, p in self.starts[a]])
                      for a in range(len(self.title) + 1)]
            for (a, b), w in self.width.items():
                if a == 0:
                    continue
                le = bisect_right(keys[a], w + _TIE)
                lt = bisect_left(keys[a], w - _TIE)
                cut = self.costs[a] + self.line_cost(a, b)
                if le:
                    found = _plus(prefix[a][le - 1], cut, (a,), after=True)
                    if found is not None:
                        any_[k][(a, b)] = found
                if lt:
                    found = _plus(prefix[a][lt - 1], cut, (a,), after=True)
                    if found is not None:
                        rising[k][(a, b)] = found
        return any_, rising

    def best_good_shape(self) -> Key | None:
        down_any, down_strict = self.descending()
        best: Key | None = None
        for (a, b), key in down_strict[0].items():  # 梯形: the first line is the longest
            if a == 0:
                best = _better(best, (key[0] + self.spread(self.width[a, b]), key[1]))
        _, rising = self.ascending()
        for k in range(1, self.n - 1):  # 菱形: the peak is neither the first nor the last line
            for ab, up in rising[k].items():
                down = down_any[k].get(ab)
                if down is not None:
                    score = up[0] + down[0] - self.line_cost(*ab) + self.spread(self.width[ab])
                    best = _better(best, (score, up[1] + down[1]))
        return best

    # -- any shape (penalised), when no good shape is near

    def best_any_shape(self, good: Key | None) -> Key | None:
        """Best cut whatever its shape, scored with `_BAD_SHAPE`; a good shape found this way
        scores worse than in `best_good_shape`, so the minimum of both is exact. Longest-line
        bounds are tried from the narrowest; none is tried that cannot beat `good`."""
        candidates = sorted({w for w in self.width.values() if w * self.n >= self.total - _TIE})
        best: Key | None = None
        for longest in candidates:
            floor = _BAD_SHAPE + self.spread(longest)  # grows with `longest`
            target = _better(good, best)
            if target is not None and floor > target[0] + _TIE:
                break
            found = self.bounded(longest)
            if found is not None:
                best = _better(best, (found[0] + floor, found[1]))
        return best

    def bounded(self, longest: float) -> Key | None:
        """Cheapest cut into n lines none wider than `longest` (cut costs + last line only)."""
        size = len(self.title)
        row: dict[int, Key] = {0: (0.0, ())}
        for _ in range(self.n - 1):
            nxt: dict[int, Key] = {}
            for a, key in row.items():
                for b, w in zip(self.ends[a], self.widths[a], strict=True):
                    if w > longest + _TIE:
                        break
                    if b < size:
                        found = _plus(key, self.costs[b] + self.line_cost(a, b), (b,), after=True)
                        nxt[b] = _better(nxt.get(b), found)  # type: ignore[assignment]
            row = nxt
        best: Key | None = None
        for a, key in row.items():
            if self.width.get((a, size), longest + 1) <= longest + _TIE:
                best = _better(best, (key[0] + self.line_cost(a, size), key[1]))
        return best
