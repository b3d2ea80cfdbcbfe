"""The KPI arithmetic practitioners check by hand: NPS from 0-10 answers, CSAT's average and
share of satisfied answers on both scales, CES, pooling of same-day samples, colour cues."""

from __future__ import annotations

import pytest

from journeydata import kpis


def test_nps_counts_promoters_passives_and_detractors():
    # 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0-6): NPS = 50 % - 20 % = 30.
    score = kpis.nps({10: 3, 9: 2, 8: 2, 7: 1, 6: 1, 0: 1})
    assert (score.promoters, score.passives, score.detractors) == (5, 3, 2)
    assert score.responses == 10
    assert score.value == 30.0


def test_nps_runs_from_minus_100_to_plus_100():
    assert kpis.nps({0: 4}).value == -100.0
    assert kpis.nps({10: 4}).value == 100.0
    assert kpis.nps({7: 2, 8: 2}).value == 0.0


def test_nps_rounds_to_one_decimal():
    assert kpis.nps({9: 1, 8: 1, 3: 1}).value == 0.0
    assert kpis.nps({9: 2, 3: 1}).value == 33.3


@pytest.mark.parametrize(
    ("scale", "counts", "average", "satisfied"),
    [
        (5, {5: 2, 4: 1, 3: 1}, 4.25, 75.0),  # 4 and 5 are satisfied on 1-5
        (10, {10: 1, 8: 1, 7: 1, 1: 1}, 6.5, 50.0),  # 8 to 10 on 1-10
    ],
)
def test_csat_gives_the_average_and_the_share_of_satisfied_answers(
    scale, counts, average, satisfied
):
    score = kpis.csat(counts, scale)
    assert score.value == average
    assert score.satisfied_pct == satisfied


def test_ces_is_the_average_effort():
    assert kpis.ces({1: 2, 2: 1, 5: 1}).value == 2.25


def test_samples_of_one_date_pool_their_answers():
    score = kpis.score("nps", scale=None, counts=[{"10": 1}, {"0": 1, "9": 2}], values=[])
    assert (score.promoters, score.detractors, score.value) == (3, 1, 50.0)
    assert kpis.score("conversion_rate", scale=None, counts=[], values=[10, 20]).value == 15


@pytest.mark.parametrize(
    ("kind", "value", "tone"),
    [
        ("nps", 45, "good"),
        ("nps", 10, "warning"),
        ("nps", -5, "bad"),
        ("ces", 1.8, "good"),
        ("ces", 3.6, "bad"),
        ("satisfaction_rate", 70, "warning"),
    ],
)
def test_tone_follows_the_rules_of_thumb(kind, value, tone):
    assert kpis.tone(kind, kpis.Score(value=value), None) == tone


def test_tone_of_a_csat_looks_at_the_share_of_satisfied_answers():
    assert kpis.tone("csat", kpis.csat({5: 9, 1: 1}, 5), None) == "good"
    assert kpis.tone("csat", kpis.csat({5: 1, 1: 9}, 5), None) == "bad"


def test_tone_without_a_rule_follows_the_trend_and_knows_lower_is_better():
    higher, lower = kpis.Score(value=30), kpis.Score(value=20)
    assert kpis.tone("conversion_rate", higher, lower) == "good"
    assert kpis.tone("drop_off", higher, lower) == "bad"
    assert kpis.tone("handling_time", lower, higher) == "good"
    assert kpis.tone("custom", higher, None) == "neutral"
