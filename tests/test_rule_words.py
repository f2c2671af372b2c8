"""A rule's logic in words (checker.rule_words), as `explain` prints it."""

from __future__ import annotations

from checker.rule_words import condition_lines


def test_a_field_with_both_date_bounds_is_said_with_both():
    # cyd-tags' CYD-TAGGED-8K-EARLY applies from 2024-12-18 and before 2025-06-15: explain said only the first
    lines = condition_lines({"field": {"name": "period", "on_or_after": "2024-12-18", "before": "2025-06-15"}})
    assert lines == [(0, "the filing's period is on or after 2024-12-18 and before 2025-06-15")]


def test_a_field_says_each_of_its_tests_and_exists_only_where_it_is_the_test():
    lines = condition_lines({"field": {"name": "form", "in": ["8-K", "8-K/A"], "exists": True}})
    assert lines == [(0, "the filing's form is one of 8-K, 8-K/A")]
    lines = condition_lines({"field": {"name": "item", "equals": "1.05", "before": "2025-01-01"}})
    assert lines == [(0, "the filing's item is 1.05 and before 2025-01-01")]
    assert condition_lines({"field": {"name": "sic", "exists": False}}) == [(0, "the filing does not give its sic")]
