"""Title shaping (§7.3.1): the dynamic programme finds the best cut; words and 文号 stay whole."""

from __future__ import annotations

import itertools
import random

import pytest

from kongchuo_docs import gbt9704 as g
from kongchuo_docs.layout import title as t
from kongchuo_docs.layout.text import Measure, em_measure
from kongchuo_docs.model.limits import TITLE_MAX_CHARS

WIDTH = g.TYPE_AREA_WIDTH_PT
MEASURES = {"official": em_measure(g.TITLE_SIZE_PT), "letter-spaced": em_measure(g.TITLE_SIZE_PT, 0.3)}


def score(title: str, lines: list[str], measure: Measure) -> float:
    """The score title.py's docstring defines (lower is better), computed from the lines."""
    costs = t.cut_costs(title)
    total = measure(title)
    widths = [measure(line) for line in lines]
    n = len(lines)
    fewest = next(k for k in range(2, len(title) + 1) if total <= k * WIDTH)
    longest = max(widths)
    peak = widths.index(longest)
    trapezoid = all(a >= b for a, b in itertools.pairwise(widths)) and widths[0] > widths[-1]
    diamond = (0 < peak < n - 1 and all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
               and all(a >= b for a, b in itertools.pairwise(widths[peak:])))
    cuts = list(itertools.accumulate(len(line) for line in lines))[:-1]
    return (sum(costs[c] for c in cuts) + t._SPREAD_WEIGHT * (1 - total / (n * longest))
            + (0 if trapezoid or diamond else t._BAD_SHAPE)
            + sum(t._EVEN_WEIGHT * ((w - total / n) / WIDTH) ** 2 for w in widths)
            + (t._SHORT_LAST_LINE if len(lines[-1]) < t._SHORT_LAST_CHARS else 0)
            + t._EXTRA_LINE * (n - fewest))


def best_by_trying_every_cut(title: str, measure: Measure) -> float:
    """The best score over every combination of cuts (fewest lines … two more; cuts between
    words first, anywhere only when no such cut fits) — the old exponential search."""
    costs = t.cut_costs(title)
    fewest = next(n for n in range(2, len(title) + 1) if measure(title) <= n * WIDTH)
    everywhere = list(range(1, len(title)))
    cheap = [i for i in everywhere if costs[i] < t._INSIDE_WORD]
    best = None
    for n in range(fewest, fewest + 3):
        for positions in (cheap, everywhere):
            scores = []
            for cuts in itertools.combinations(positions, n - 1):
                bounds = (0, *cuts, len(title))
                lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
                if all(measure(line) <= WIDTH for line in lines):
                    scores.append(score(title, lines, measure))
            if scores:
                best = min(scores) if best is None else min(best, min(scores))
                break
    assert best is not None
    return best


def generated_titles(count: int, seed: int = 9704) -> list[str]:
    words = [w for w in t._lexicon() if len(w) <= 4] + list("县镇村校的和与第") + ["2026", "《义务教育法》", "ABC"]
    rng = random.Random(seed)
    titles = []
    while len(titles) < count:
        text = ""
        size = rng.randint(21, 38)
        while len(text) < size:
            text += rng.choice(words)
        titles.append(text + "的通知")
    return titles


@pytest.mark.parametrize("measure_name", sorted(MEASURES))
def test_the_dynamic_programme_scores_as_well_as_trying_every_cut(measure_name: str) -> None:
    measure = MEASURES[measure_name]
    for title in generated_titles(12):
        lines = t.shape_title(title, WIDTH, measure)
        assert "".join(lines) == title and all(measure(line) <= WIDTH for line in lines)
        assert score(title, lines, measure) == pytest.approx(best_by_trying_every_cut(title, measure), abs=1e-9)


@pytest.mark.parametrize(("title", "whole"), [
    ("某某镇中心小学2026年春季学期控辍保学工作自检自查报告", "自检自查报告"),
    ("某某县教育局关于转发闽教基〔2014〕215号文件做好控辍保学工作的通知", "闽教基〔2014〕215号"),
    ("某某县教育局关于转发省教育厅闽教基〔2014〕215号文件的通知", "闽教基〔2014〕215号"),
    ("某某县教育局关于印发某某县2026年义务教育阶段控辍保学目标责任考核办法的通知", "义务教育阶段"),
])
def test_words_and_doc_numbers_are_never_split(title: str, whole: str) -> None:
    lines = t.shape_title(title, WIDTH, MEASURES["official"])
    assert len(lines) > 1 and any(whole in line for line in lines)


def test_a_hundred_character_title_breaks_only_between_words() -> None:
    words = ["关于", "进一步", "加强", "义务教育", "控辍保学", "工作", "建立健全", "问题线索", "移送", "机制"]
    text = ""
    while len(text) < TITLE_MAX_CHARS - 3:
        text += words[len(text) % len(words)]
    title = text[: TITLE_MAX_CHARS - 3] + "的通知"
    lines = t.shape_title(title, WIDTH, MEASURES["official"])
    costs = t.cut_costs(title)
    cuts = list(itertools.accumulate(len(line) for line in lines))[:-1]
    assert len(title) == TITLE_MAX_CHARS and len(lines) >= 5
    assert [costs[c] for c in cuts if costs[c] >= t._INSIDE_WORD] == []


def test_no_three_line_title_ends_in_a_lone_的通知(monkeypatch: pytest.MonkeyPatch) -> None:
    # unlisted characters: every cut costs the same except the one before the listed word 通知
    title = ("甲乙丙丁戊己庚辛壬癸" * 4)[:38] + "的通知"
    lines = t.shape_title(title, WIDTH, MEASURES["official"])
    assert len(lines) == 3 and len(lines[-1]) >= t._SHORT_LAST_CHARS
    monkeypatch.setattr(t, "_SHORT_LAST_LINE", 0.0)  # without the rule the cheap cut wins
    assert len(t.shape_title(title, WIDTH, MEASURES["official"])[-1]) < t._SHORT_LAST_CHARS
