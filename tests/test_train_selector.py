"""The selector's abstention threshold (scripts/train_selector.py), on crafted best-sentence scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "train_selector", Path(__file__).resolve().parents[1] / "scripts" / "train_selector.py"
)
assert _SPEC and _SPEC.loader
train_selector = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(train_selector)
threshold_for = train_selector.threshold_for

# (question, answerable, best sentence score)
RANKED = [(0, True, 2.0), (1, True, 0.5), (2, True, 1.5), (3, False, -1.5), (4, False, 3.0), (5, False, -0.5)]


def test_threshold_sits_half_way_between_the_weakest_answerable_and_the_strongest_unanswerable_below_it():
    assert threshold_for(RANKED, 0.0) == pytest.approx(0.0)  # (0.5 + -0.5) / 2; 3.0 is above, ignored


def test_threshold_may_refuse_the_allowed_share_of_answerable_questions():
    # one of three answerable may be refused: the lowest let through is 1.5, the best unanswerable below is -0.5
    assert threshold_for(RANKED, 0.34) == pytest.approx(0.5)


def test_threshold_without_an_unanswerable_below_stays_just_under_the_weakest_answerable():
    assert threshold_for([(0, True, 0.5), (1, False, 3.0)], 0.0) == pytest.approx(0.5 - 1e-6)


def test_threshold_counts_only_the_given_questions():
    # without question 5 (-0.5), the best unanswerable below 0.5 is question 3 (-1.5)
    assert threshold_for(RANKED, 0.0, questions={0, 1, 2, 3, 4}) == pytest.approx(-0.5)
