"""The star rule of seed §六: 95 以上 five, 85 以上、95 以下 four, 75 以上、85 以下 three;
a veto or below 75 no star. "以上" includes the number, "以下" excludes it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.stars import Star, mean_score, round_score, star_for

D = Decimal


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0.0", Star.NONE),
        ("74.9", Star.NONE),
        ("74.94", Star.NONE),
        ("74.95", Star.THREE),  # rounds half up to 75.0
        ("75.0", Star.THREE),
        ("75", Star.THREE),
        ("84.9", Star.THREE),
        ("84.94", Star.THREE),
        ("84.95", Star.FOUR),
        ("85.0", Star.FOUR),
        ("94.9", Star.FOUR),
        ("94.94", Star.FOUR),
        ("94.95", Star.FIVE),
        ("95.0", Star.FIVE),
        ("99.9", Star.FIVE),
        ("100.0", Star.FIVE),
    ],
)
def test_star_on_every_boundary(score, expected):
    assert star_for(D(score), has_veto=False) == expected


@pytest.mark.parametrize("score", ["100.0", "95.0", "85.0", "75.0", "0.0"])
def test_a_veto_item_means_no_star_whatever_the_score(score):
    assert star_for(D(score), has_veto=True) == Star.NONE


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("84.95", "85.0"), ("84.949", "84.9"), ("94.95", "95.0"), ("0.05", "0.1"), ("74.85", "74.9")],
)
def test_rounding_is_half_up_to_one_place(value, rounded):
    assert round_score(D(value)) == D(rounded)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_score(84.95)
    with pytest.raises(TypeError):
        star_for(84.95, has_veto=False)


@pytest.mark.parametrize(
    ("scores", "mean"),
    [
        (["85.0", "84.9"], "85.0"),  # 84.95 rounds up: four stars, not three
        (["85.0", "85.0", "84.9"], "85.0"),  # 84.966...
        (["84.9", "84.9", "85.0"], "84.9"),  # 84.933...
        (["94.9", "95.0"], "95.0"),
        (["74.9", "75.0"], "75.0"),
        (["74.8", "74.9", "75.0"], "74.9"),
        (["100.0"], "100.0"),
    ],
)
def test_mean_of_expert_scores_rounds_half_up(scores, mean):
    assert mean_score([D(s) for s in scores]) == D(mean)


def test_mean_of_no_scores_is_an_error():
    with pytest.raises(ValueError):
        mean_score([])


# Scores as the portal holds them: 0.0 .. 100.0 in tenths, and finer (unrounded) means.
tenths = st.integers(min_value=0, max_value=1000).map(lambda n: D(n) / 10)
fine = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


def seed_rule(score: Decimal) -> Star:
    """The seed's sentences, read literally on the one-place score."""
    s = score.quantize(D("0.1"), rounding="ROUND_HALF_UP")
    if s >= 95:  # 95分以上
        return Star.FIVE
    if 85 <= s < 95:  # 85分以上、95分以下
        return Star.FOUR
    if 75 <= s < 85:  # 75分以上、85分以下
        return Star.THREE
    return Star.NONE  # 75分以下


@given(fine)
def test_star_matches_the_seed_sentences(score):
    assert star_for(score, has_veto=False) == seed_rule(score)


@given(fine, fine)
def test_a_higher_score_never_earns_fewer_stars(a, b):
    low, high = sorted([a, b])
    assert star_for(low, has_veto=False) <= star_for(high, has_veto=False)


@given(fine)
def test_a_veto_always_means_no_star(score):
    assert star_for(score, has_veto=True) == Star.NONE


@given(tenths)
def test_thresholds_include_their_own_number(score):
    star = star_for(score, has_veto=False)
    assert (star == Star.FIVE) == (score >= 95)
    assert (star >= Star.FOUR) == (score >= 85)
    assert (star >= Star.THREE) == (score >= 75)


@given(st.lists(tenths, min_size=1, max_size=7))
def test_mean_lies_within_the_scores_and_has_one_place(scores):
    mean = mean_score(scores)
    assert mean.as_tuple().exponent == -1
    assert min(scores) <= mean <= max(scores)
    exact = sum(scores) / len(scores)
    assert abs(mean - exact) <= D("0.05")
